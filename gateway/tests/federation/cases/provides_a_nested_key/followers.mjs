export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Author @key(fields: "handle") {
    handle: String!
    followers: Int
  }
`;

export const resolvers = { Author: { __resolveReference: ({ handle }) => ({ handle, followers: handle === "ada" ? 99 : 1 }) } };
