export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  interface Priced {
    price: Int
  }

  type Book implements Priced @key(fields: "id") {
    id: ID!
    title: String!
    price: Int
  }

  type Pen implements Priced @key(fields: "id") {
    id: ID!
    price: Int
  }

  type Query {
    priced: [Priced!]!
  }
`;

const ITEMS = [
  { __typename: "Book", id: "b1", title: "Dune", price: 1 },
  { __typename: "Pen", id: "n1", price: 2 },
];
export const resolvers = {
  Query: { priced: () => ITEMS },
  Priced: { __resolveType: (item) => item.__typename },
  Book: { __resolveReference: ({ id }) => ITEMS.find((item) => item.id === id) ?? null },
  Pen: { __resolveReference: ({ id }) => ITEMS.find((item) => item.id === id) ?? null },
};
