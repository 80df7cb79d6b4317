export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type User @key(fields: "id") {
    id: ID!
    name: String
    code: String
  }

  type Query {
    users: [User!]!
  }
`;

const USERS = [{ id: "u1", name: "Ada", code: "X" }, { id: "u2", name: "Bob", code: "Y" }];
export const resolvers = { Query: { users: () => USERS }, User: { __resolveReference: ({ id }) => USERS.find((u) => u.id === id) ?? null } };
