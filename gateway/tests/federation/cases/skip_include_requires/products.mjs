export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Product @key(fields: "id") {
    id: ID!
    weight: Int
    name: String
  }

  type Query {
    products: [Product!]!
  }
`;

const PRODUCTS = [{ id: "p1", weight: 3, name: "Pen" }, { id: "p2", weight: 12, name: "Pad" }];
export const resolvers = { Query: { products: () => PRODUCTS }, Product: { __resolveReference: ({ id }) => PRODUCTS.find((p) => p.id === id) ?? null } };
