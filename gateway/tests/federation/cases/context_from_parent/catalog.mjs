export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.8", import: ["@key"])

  type Item @key(fields: "sku") {
    sku: ID!
    name: String
  }
`;

const NAMES = { i1: "Pen", i2: "Pad" };
export const resolvers = { Item: { __resolveReference: ({ sku }) => ({ sku, name: NAMES[sku] ?? null }) } };
