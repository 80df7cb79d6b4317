export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Author @key(fields: "id") {
    id: ID!
    name: String
    books: [Book]
  }

  type Book @key(fields: "id") {
    id: ID!
  }

  type Query {
    authors: [Author]
  }
`;

const AUTHORS = [
  { id: "a1", name: "Ada", books: [{ id: "b1" }, null, { id: "b2" }] },
  null,
  { id: "a2", name: "Bob", books: null },
  { id: "a3", name: null, books: [{ id: "b9" }, { id: "b1" }] },
];
export const resolvers = {
  Query: { authors: () => AUTHORS },
  Author: { __resolveReference: ({ id }) => AUTHORS.find((a) => a?.id === id) ?? null },
};
