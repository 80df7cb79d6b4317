export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Box @key(fields: "id") {
    id: ID!
    weight: Int
  }
`;

const WEIGHTS = { x1: 3, x2: 5, x3: 50 };
export const resolvers = { Box: { __resolveReference: ({ id }) => ({ id, weight: WEIGHTS[id] ?? null }) } };
