export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type User @key(fields: "id") {
    id: ID!
    name: String
    friends: [User!]!
  }

  type Query {
    users: [User!]!
  }
`;

const USERS = { u1: { id: "u1", name: "Ada", friends: [{ id: "u2" }] }, u2: { id: "u2", name: "Bob", friends: [] } };
export const resolvers = {
  Query: { users: () => Object.values(USERS) },
  User: { __resolveReference: ({ id }) => USERS[id] ?? null, friends: (u) => u.friends.map(({ id }) => USERS[id]) },
};
