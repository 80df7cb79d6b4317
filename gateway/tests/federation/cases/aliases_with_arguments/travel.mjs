export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type City @key(fields: "name") {
    name: String!
    neighbours(limit: Int!): [City!]!
  }
`;

const NEAR = { Paris: ["Oslo", "Lyon"], Oslo: ["Paris"] };
export const resolvers = {
  City: {
    __resolveReference: ({ name }) => ({ name }),
    neighbours: ({ name }, { limit }) => (NEAR[name] ?? []).slice(0, limit).map((n) => ({ name: n })),
  },
};
