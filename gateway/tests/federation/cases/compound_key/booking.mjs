export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Seat @key(fields: "row number hall { id }") {
    row: String!
    number: Int!
    hall: Hall!
    booked: Boolean!
  }

  type Hall {
    id: ID!
  }

  type Query {
    firstBooked: Seat
  }
`;

const BOOKED = new Set(["A1"]);
export const resolvers = {
  Query: { firstBooked: () => ({ row: "A", number: 1, hall: { id: "h1" } }) },
  Seat: {
    __resolveReference: (s) => ({ ...s, booked: BOOKED.has(`${s.row}${s.number}`) }),
    booked: (s) => BOOKED.has(`${s.row}${s.number}`),
  },
};
