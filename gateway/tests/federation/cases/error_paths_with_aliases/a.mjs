export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Thing @key(fields: "id") {
    id: ID!
    risky(fail: Boolean!): String
    strict: String!
  }

  type Query {
    things: [Thing]
    thing(id: ID!): Thing
  }
`;

const THINGS = [{ id: "t1" }, { id: "t2" }, { id: "t3" }];
export const resolvers = {
  Query: { things: () => THINGS, thing: (_, { id }) => THINGS.find((t) => t.id === id) ?? null },
  Thing: {
    __resolveReference: ({ id }) => THINGS.find((t) => t.id === id) ?? null,
    risky: ({ id }, { fail }) => {
      if (fail) throw new Error(`risky failed for ${id}`);
      return `ok ${id}`;
    },
    strict: ({ id }) => (id === "t2" ? null : `strict ${id}`),
  },
};
