export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type User @key(fields: "id") {
    id: ID!
    name: String
    manager: User
  }

  type Query {
    user(id: ID!): User
    users(ids: [ID!]!): [User]!
  }
`;

const USERS = { u1: { id: "u1", name: "Ada", manager: { id: "u2" } }, u2: { id: "u2", name: "Bob", manager: null } };
export const resolvers = {
  Query: { user: (_, { id }) => USERS[id] ?? null, users: (_, { ids }) => ids.map((id) => USERS[id] ?? null) },
  User: { __resolveReference: ({ id }) => USERS[id] ?? null, manager: (u) => (u.manager ? USERS[u.manager.id] : null) },
};
