export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Thing @key(fields: "id") {
    id: ID!
    remote(fail: Boolean!): String
  }
`;

export const resolvers = {
  Thing: {
    __resolveReference: ({ id }) => ({ id }),
    remote: ({ id }, { fail }) => {
      if (fail && id !== "t1") throw new Error(`remote failed for ${id}`);
      return `remote ${id}`;
    },
  },
};
