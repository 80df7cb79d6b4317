export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

  type Author @key(fields: "id") {
    id: ID!
    name: String @shareable
    team: Team @shareable
    joined: Int
  }

  type Team @key(fields: "id") {
    id: ID!
    name: String @shareable
    lead: Author @shareable
    size: Int
  }
`;

const AUTHORS = { a1: { id: "a1", name: "Ada", team: { id: "t1" }, joined: 2001 }, a2: { id: "a2", name: "Bob", team: { id: "t1" }, joined: 2010 } };
const TEAMS = { t1: { id: "t1", name: "Core", lead: { id: "a2" }, size: 4 } };
export const resolvers = {
  Author: { __resolveReference: ({ id }) => AUTHORS[id] ?? null, team: (a) => TEAMS[a.team?.id] ?? null },
  Team: { __resolveReference: ({ id }) => TEAMS[id] ?? null, lead: (t) => AUTHORS[t.lead.id] },
};
