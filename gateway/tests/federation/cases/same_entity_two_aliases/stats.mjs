export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type User @key(fields: "id") {
    id: ID!
    posts: Int
    likes(since: Int = 0): Int
  }
`;

const POSTS = { u1: 3, u2: 7 };
export const resolvers = {
  User: {
    __resolveReference: ({ id }) => (id in POSTS ? { id, posts: POSTS[id] } : null),
    likes: ({ id }, { since }) => (id === "u1" ? 100 - since : 10 - since),
  },
};
