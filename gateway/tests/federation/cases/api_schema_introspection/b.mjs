export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@interfaceObject", "@override"])

  type Node @key(fields: "id") @interfaceObject {
    id: ID!
    createdAt: String
  }
`;

export const resolvers = { Node: { __resolveReference: ({ id }) => ({ id, createdAt: "2026-01-01" }) } };
