export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@provides"])

  type Post @key(fields: "id") {
    id: ID!
    author: Author @provides(fields: "handle")
  }

  type Author @key(fields: "id") {
    id: ID!
    handle: String @external
  }

  type Query {
    posts: [Post!]!
  }
`;

export const resolvers = {
  Query: { posts: () => [{ id: "p1", author: { id: "a1", handle: "ada" } }, { id: "p2", author: { id: "a2", handle: "bob" } }] },
};
