export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Order @key(fields: "id") {
    id: ID!
    lines: [Line!]!
  }

  type Line {
    qty: Int!
    product: Product!
  }

  type Product @key(fields: "sku") {
    sku: ID!
  }

  type Query {
    orders: [Order!]!
  }
`;

export const resolvers = {
  Query: {
    orders: () => [
      { id: "o1", lines: [{ qty: 1, product: { sku: "ok" } }, { qty: 2, product: { sku: "boom" } }] },
      { id: "o2", lines: [{ qty: 5, product: { sku: "null-name" } }] },
    ],
  },
};
