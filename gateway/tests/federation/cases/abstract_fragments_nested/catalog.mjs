export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  interface Named {
    name: String!
  }

  interface Priced {
    price: Int
  }

  type Book implements Named & Priced @key(fields: "id") {
    id: ID!
    name: String!
    price: Int
  }

  type Author implements Named @key(fields: "id") {
    id: ID!
    name: String!
  }

  type Coupon implements Priced {
    price: Int
    code: String!
  }

  union Result = Book | Author | Coupon

  type Query {
    results: [Result!]!
  }
`;

const RESULTS = [
  { __typename: "Book", id: "b1", name: "Dune", price: 9 },
  { __typename: "Author", id: "a1", name: "Herbert" },
  { __typename: "Coupon", price: -2, code: "SAVE2" },
];
export const resolvers = {
  Query: { results: () => RESULTS },
  Result: { __resolveType: (r) => r.__typename },
  Named: { __resolveType: (r) => r.__typename },
  Priced: { __resolveType: (r) => r.__typename },
  Book: { __resolveReference: ({ id }) => RESULTS.find((r) => r.id === id) ?? null },
  Author: { __resolveReference: ({ id }) => RESULTS.find((r) => r.id === id) ?? null },
};
