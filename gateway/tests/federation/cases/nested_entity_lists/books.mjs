export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Book @key(fields: "id") {
    id: ID!
    title: String!
    coauthors: [Author!]
  }

  type Author @key(fields: "id") {
    id: ID!
  }
`;

const BOOKS = { b1: { id: "b1", title: "Dune", coauthors: [{ id: "a2" }] }, b2: { id: "b2", title: "Emma", coauthors: [] } };
export const resolvers = { Book: { __resolveReference: ({ id }) => BOOKS[id] ?? null } };
