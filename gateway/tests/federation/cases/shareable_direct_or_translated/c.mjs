export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

  type Track @key(fields: "isrc") {
    isrc: String!
    plays: Int @shareable
    charts: Int
  }
`;

export const resolvers = {
  Track: { __resolveReference: ({ isrc }) => ({ isrc, plays: -1, charts: isrc === "US-1" ? 1 : 5 }) },
};
