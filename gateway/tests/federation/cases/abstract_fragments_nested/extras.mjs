export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Book @key(fields: "id") {
    id: ID!
    pages: Int
  }

  type Author @key(fields: "id") {
    id: ID!
    born: Int
  }
`;

export const resolvers = {
  Book: { __resolveReference: ({ id }) => ({ id, pages: 412 }) },
  Author: { __resolveReference: ({ id }) => ({ id, born: 1920 }) },
};
