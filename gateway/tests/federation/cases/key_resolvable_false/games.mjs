export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Team @key(fields: "id", resolvable: false) {
    id: ID!
  }

  type Game {
    id: ID!
    home: Team!
    away: Team
  }

  type Query {
    games: [Game!]!
  }
`;

export const resolvers = {
  Query: {
    games: () => [
      { id: "g1", home: { id: "t1" }, away: { id: "t2" } },
      { id: "g2", home: { id: "t2" }, away: { id: "t9" } },
    ],
  },
};
