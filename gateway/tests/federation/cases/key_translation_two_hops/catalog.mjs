export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Product @key(fields: "id") @key(fields: "sku") {
    id: ID!
    sku: String!
    name: String
  }
`;

const PRODUCTS = [{ id: "p1", sku: "S1", name: "Pen" }, { id: "p2", sku: "S2", name: "Ink" }];
export const resolvers = {
  Product: { __resolveReference: (ref) => PRODUCTS.find((p) => (ref.id ? p.id === ref.id : p.sku === ref.sku)) ?? null },
};
