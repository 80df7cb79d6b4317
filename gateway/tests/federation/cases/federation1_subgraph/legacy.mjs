// A Federation 1 subgraph (no @link): composition reads it the Federation 1 way.
export const typeDefs = `
  type Account @key(fields: "id") {
    id: ID!
    name: String
    plan: Plan
  }

  type Plan {
    name: String!
    seats: Int
  }

  extend type Query {
    accounts: [Account!]!
  }
`;

const ACCOUNTS = [{ id: "a1", name: "Acme", plan: { name: "Pro", seats: 10 } }, { id: "a2", name: "Tiny", plan: null }];
export const resolvers = {
  Query: { accounts: () => ACCOUNTS },
  Account: { __resolveReference: ({ id }) => ACCOUNTS.find((a) => a.id === id) ?? null },
};
