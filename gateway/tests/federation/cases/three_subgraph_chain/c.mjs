export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type City @key(fields: "id") {
    id: ID!
    population: Int
    country: Country!
  }

  type Country @key(fields: "code") {
    code: ID!
  }
`;

const CITIES = { paris: { id: "paris", population: 2100000, country: { code: "FR" } }, beijing: { id: "beijing", population: null, country: { code: "CN" } } };
export const resolvers = { City: { __resolveReference: ({ id }) => CITIES[id] ?? null } };
