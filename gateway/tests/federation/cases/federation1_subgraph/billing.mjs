export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])

  type Account @key(fields: "id") {
    id: ID!
    name: String @external
    invoiceTo: String @requires(fields: "name")
    balance: Int
  }

  type Query {
    overdue: [Account!]!
  }
`;

const BALANCE = { a1: -20, a2: 0 };
export const resolvers = {
  Query: { overdue: () => [{ id: "a1" }] },
  Account: {
    __resolveReference: (ref) => (ref.id in BALANCE ? { ...ref, balance: BALANCE[ref.id] } : null),
    invoiceTo: ({ name }) => `Billing, ${name}`,
  },
};
