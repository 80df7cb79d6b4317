export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type User @key(fields: "id") {
    id: ID!
    friends: [User!]!
    followers: Int
  }
`;

export const resolvers = {
  User: {
    __resolveReference: ({ id }) => ({ id }),
    friends: ({ id }) => (id === "u1" ? [{ id: "u2" }] : []),
    followers: ({ id }) => (id === "u1" ? 12 : 3),
  },
};
