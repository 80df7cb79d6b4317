export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@override"])

  type Product @key(fields: "id") {
    id: ID!
    price: Int @override(from: "old")
    stock: Int
  }

  type Query {
    cheapest: Product
  }
`;

// The new owner's prices are ten times the old ones: an answer shows who was asked.
const PRODUCTS = { p1: { id: "p1", price: 10, stock: 5 }, p2: { id: "p2", price: null, stock: 0 } };
export const resolvers = {
  Query: { cheapest: () => PRODUCTS.p1 },
  Product: { __resolveReference: ({ id }) => PRODUCTS[id] ?? null },
};
