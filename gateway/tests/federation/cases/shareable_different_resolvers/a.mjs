export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

  type Product @key(fields: "id") {
    id: ID!
    name: String @shareable
    label: String @shareable
  }

  type Query {
    fromA: [Product!]!
  }
`;

// Each subgraph answers the shareable fields its own way: an answer shows which was asked.
export const resolvers = {
  Query: { fromA: () => [{ id: "p1" }, { id: "p2" }] },
  Product: { __resolveReference: ({ id }) => ({ id }), name: ({ id }) => `${id} by a`, label: () => "a" },
};
