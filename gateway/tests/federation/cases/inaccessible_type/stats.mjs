export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Article @key(fields: "id") {
    id: ID!
    views: Int
  }
`;

export const resolvers = { Article: { __resolveReference: ({ id }) => ({ id, views: 42 }) } };
