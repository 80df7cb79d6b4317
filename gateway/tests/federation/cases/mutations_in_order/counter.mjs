export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

  type Log @key(fields: "id") {
    id: ID!
    entries: [String!]!
  }

  type Query {
    log: Log!
  }

  type Mutation {
    add(n: Int!): Int!
  }
`;

// The shared log both subgraphs append to lives on globalThis: one node process serves both.
const key = Symbol.for("corpus.mutations_in_order.log");
globalThis[key] ??= [];
export const reset = () => {
  globalThis[key].length = 0;
};
export const resolvers = {
  Query: { log: () => ({ id: "log" }) },
  Log: { __resolveReference: () => ({ id: "log" }), entries: () => [...globalThis[key]] },
  Mutation: {
    add: async (_, { n }) => {
      await new Promise((resolve) => setTimeout(resolve, n === 1 ? 30 : 0));
      globalThis[key].push(`add ${n}`);
      return globalThis[key].length;
    },
  },
};
