export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  type Product @key(fields: "id") {
    id: ID!
    name: String!
    price: Int
  }

  type Query {
    products: [Product!]!
  }
`;

const PRODUCTS = { p1: { id: "p1", name: "Pen", price: 1 }, p2: { id: "p2", name: "Ink", price: 2 } };
export const resolvers = {
  Query: { products: () => Object.values(PRODUCTS) },
  Product: { __resolveReference: ({ id }) => PRODUCTS[id] ?? null },
};
