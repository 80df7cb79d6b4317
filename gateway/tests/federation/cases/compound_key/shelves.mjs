export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Seat @key(fields: "row number hall { id }") {
    row: String!
    number: Int!
    hall: Hall!
    label: String
  }

  type Hall {
    id: ID!
    name: String
  }

  type Query {
    seats: [Seat!]!
  }
`;

const HALL = { id: "h1", name: "Main" };
const SEATS = [{ row: "A", number: 1, hall: HALL, label: "A1" }, { row: "B", number: 2, hall: HALL, label: null }];
export const resolvers = {
  Query: { seats: () => SEATS },
  Seat: { __resolveReference: (s) => SEATS.find((x) => x.row === s.row && x.number === s.number) ?? null },
};
