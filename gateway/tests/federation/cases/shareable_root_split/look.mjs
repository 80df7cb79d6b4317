export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@shareable"])

  type Settings @shareable {
    theme: String!
    fontSize: Int
  }

  type Query {
    settings: Settings @shareable
  }
`;

export const resolvers = { Query: { settings: () => ({ theme: "dark", fontSize: 14 }) } };
