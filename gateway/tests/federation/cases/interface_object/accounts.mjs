export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  interface Account @key(fields: "id") {
    id: ID!
    name: String!
  }

  type User implements Account @key(fields: "id") {
    id: ID!
    name: String!
    email: String
  }

  type Org implements Account @key(fields: "id") {
    id: ID!
    name: String!
    members: Int!
  }

  type Query {
    account(id: ID!): Account
  }
`;

const ACCOUNTS = [
  { __typename: "User", id: "u1", name: "Ada", email: "ada@example.org" },
  { __typename: "Org", id: "o1", name: "Acme", members: 12 },
  { __typename: "User", id: "u2", name: "Bob", email: null },
];
const byId = (id) => ACCOUNTS.find((account) => account.id === id) ?? null;

export const resolvers = {
  Query: { account: (_, { id }) => byId(id) },
  Account: { __resolveReference: ({ id }) => byId(id), __resolveType: (a) => a.__typename },
  User: { __resolveReference: ({ id }) => byId(id) },
  Org: { __resolveReference: ({ id }) => byId(id) },
};
