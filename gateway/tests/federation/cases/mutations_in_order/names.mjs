export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Log @key(fields: "id") {
    id: ID!
    last: String
  }

  type Mutation {
    say(word: String!): Log!
    fail: Int
  }
`;

const key = Symbol.for("corpus.mutations_in_order.log");
globalThis[key] ??= [];
export const resolvers = {
  Log: { __resolveReference: () => ({ id: "log" }), last: () => globalThis[key].at(-1) ?? null },
  Mutation: {
    say: (_, { word }) => {
      globalThis[key].push(`say ${word}`);
      return { id: "log" };
    },
    fail: () => {
      globalThis[key].push("fail");
      throw new Error("this mutation fails");
    },
  },
};
