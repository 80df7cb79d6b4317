export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

  interface Node {
    id: ID!
  }

  type User implements Node @key(fields: "id") {
    id: ID!
    name: String
  }

  type Query {
    node(id: ID!): Node @shareable
  }
`;

const USERS = { u1: { __typename: "User", id: "u1", name: "Ada" } };
export const resolvers = {
  Query: { node: (_, { id }) => USERS[id] ?? null },
  Node: { __resolveType: (n) => n.__typename },
  User: { __resolveReference: ({ id }) => USERS[id] ?? null },
};
