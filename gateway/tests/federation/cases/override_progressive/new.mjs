export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@override"])

  type Item @key(fields: "id") {
    id: ID!
    weight: Int @override(from: "old", label: "percent(0)")
    size: Int @override(from: "old", label: "percent(100)")
  }
`;

const ITEMS = { i1: { id: "i1", weight: 10, size: 30 }, i2: { id: "i2", weight: 20, size: null } };
export const resolvers = { Item: { __resolveReference: ({ id }) => ITEMS[id] ?? null } };
