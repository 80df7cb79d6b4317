export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

  type User @key(fields: "id") {
    id: ID!
    name: String! @shareable
    email: String
  }
`;

const USERS = { u1: { id: "u1", name: "Ada", email: "ada@example.org" }, u2: { id: "u2", name: "Bob", email: null } };
export const resolvers = { User: { __resolveReference: ({ id }) => USERS[id] ?? null } };
