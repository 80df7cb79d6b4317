export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Team @key(fields: "id") {
    id: ID!
    name: String!
  }

  type Query {
    teams: [Team!]!
  }
`;

const TEAMS = { t1: { id: "t1", name: "Red" }, t2: { id: "t2", name: "Blue" } };
export const resolvers = { Query: { teams: () => Object.values(TEAMS) }, Team: { __resolveReference: ({ id }) => TEAMS[id] ?? null } };
