export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])

  type Account @key(fields: "id") @interfaceObject {
    id: ID!
    balance: Int!
  }

  type Query {
    account(id: ID!): Account
  }

  type Mutation {
    deposit(id: ID!, amount: Int!): Account
  }
`;

const START = { a1: 10, a2: 100 };
let balances = { ...START };
export const reset = () => {
  balances = { ...START };
};
export const resolvers = {
  Query: { account: (_, { id }) => (id in balances ? { id } : null) },
  Account: { __resolveReference: ({ id }) => (id in balances ? { id } : null), balance: ({ id }) => balances[id] },
  Mutation: {
    deposit: (_, { id, amount }) => {
      if (!(id in balances)) throw new Error(`no account ${id}`);
      balances[id] += amount;
      return { id };
    },
  },
};
