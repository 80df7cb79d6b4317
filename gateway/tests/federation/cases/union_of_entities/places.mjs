export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Place @key(fields: "code") {
    code: ID!
    city: String
  }
`;

const CITIES = { PAR: "Paris", LYS: "Lyon" };
export const resolvers = { Place: { __resolveReference: ({ code }) => ({ code, city: CITIES[code] ?? null }) } };
