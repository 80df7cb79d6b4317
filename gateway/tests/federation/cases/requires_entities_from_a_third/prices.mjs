export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Product @key(fields: "sku") {
    sku: ID!
    price: Int
  }
`;

const PRICES = { a: 3, b: 4 };
export const resolvers = { Product: { __resolveReference: ({ sku }) => ({ sku, price: PRICES[sku] ?? null }) } };
