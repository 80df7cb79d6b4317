export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Item @key(fields: "id") {
    id: ID!
    score(boost: Int = 1): Int
  }

  type Query {
    top(limit: Int!): [Item!]!
  }
`;

export const resolvers = {
  Query: { top: (_, { limit }) => [{ id: "i2" }, { id: "i1" }].slice(0, limit) },
  Item: { __resolveReference: ({ id }) => ({ id }), score: ({ id }, { boost }) => (id === "i1" ? 10 : 20) * boost },
};
