export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@shareable"])

  type Settings @shareable {
    theme: String!
    language: String
    timezone: String
  }

  type Query {
    settings: Settings @shareable
  }
`;

export const resolvers = { Query: { settings: () => ({ theme: "dark", language: "zh", timezone: null }) } };
