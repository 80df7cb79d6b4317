export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@override"])

  type Product @key(fields: "id") {
    id: ID!
    name: String @override(from: "legacy")
    price: Int
  }

  type Query {
    products: [Product!]!
  }
`;

const PRODUCTS = [{ id: "p1", name: "Pen", price: 1 }, { id: "p2", name: null, price: 2 }];
export const resolvers = { Query: { products: () => PRODUCTS }, Product: { __resolveReference: ({ id }) => PRODUCTS.find((p) => p.id === id) ?? null } };
