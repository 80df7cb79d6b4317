export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject", "@external", "@requires"])

  type Account @key(fields: "id") @interfaceObject {
    id: ID!
    balance: Int! @external
    risk: String @requires(fields: "balance")
    flagged: Boolean!
  }

  type Query {
    flagged: [Account!]!
  }
`;

export const resolvers = {
  Query: { flagged: () => [{ id: "p1" }, { id: "s2" }] },
  Account: {
    __resolveReference: (reference) => reference,
    risk: ({ balance }) => {
      if (balance === 0) throw new Error("no balance to judge");
      return balance < 0 ? "HIGH" : "LOW";
    },
    flagged: ({ id }) => id === "p1",
  },
};
