export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  interface Account @key(fields: "id") {
    id: ID!
    balance: Int!
  }

  type Saver implements Account @key(fields: "id") {
    id: ID!
    balance: Int!
    goal: Int
  }

  type Spender implements Account @key(fields: "id") {
    id: ID!
    balance: Int!
  }

  type Query {
    accounts: [Account!]!
  }
`;

const ACCOUNTS = [
  { __typename: "Saver", id: "s1", balance: 120, goal: 500 },
  { __typename: "Spender", id: "p1", balance: -30 },
  { __typename: "Saver", id: "s2", balance: 0, goal: null },
];
const byId = (id) => ACCOUNTS.find((account) => account.id === id) ?? null;

export const resolvers = {
  Query: { accounts: () => ACCOUNTS },
  Account: { __resolveReference: ({ id }) => byId(id), __resolveType: (a) => a.__typename },
  Saver: { __resolveReference: ({ id }) => byId(id) },
  Spender: { __resolveReference: ({ id }) => byId(id) },
};
