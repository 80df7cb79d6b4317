export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type User @key(fields: "id") {
    id: ID!
    posts: Int
    followers: [User!]!
  }
`;

export const resolvers = { User: { __resolveReference: ({ id }) => ({ id, posts: 3, followers: id === "u1" ? [{ id: "u2" }] : [] }) } };
