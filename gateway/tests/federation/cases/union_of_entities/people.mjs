export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Person @key(fields: "id") {
    id: ID!
    name: String
    born: Int!
    home: Place
  }

  type Place @key(fields: "code") {
    code: ID!
  }
`;

const PEOPLE = { p1: { id: "p1", name: "Ada", born: 1815, home: { code: "LYS" } } };
export const resolvers = { Person: { __resolveReference: ({ id }) => PEOPLE[id] ?? null } };
