export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external"])

  interface Node {
    id: ID!
  }

  type User implements Node @key(fields: "id") {
    id: ID! @external
    posts: [Post!]!
  }

  type Post implements Node @key(fields: "id") {
    id: ID!
    title: String
  }

  type Query {
    node(id: ID!): Node @shareable
  }
`;

const POSTS = { x1: { __typename: "Post", id: "x1", title: "Hi" }, x2: { __typename: "Post", id: "x2", title: null } };
export const resolvers = {
  // posts knows users by id only (its User.id is @external).
  Query: { node: (_, { id }) => POSTS[id] ?? (id === "u1" ? { __typename: "User", id } : null) },
  Node: { __resolveType: (n) => n.__typename },
  User: { __resolveReference: ({ id }) => ({ id }), posts: ({ id }) => (id === "u1" ? Object.values(POSTS) : []) },
  Post: { __resolveReference: ({ id }) => POSTS[id] ?? null },
};
