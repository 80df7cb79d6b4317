export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

  interface Media {
    id: ID!
  }

  type Book implements Media @key(fields: "id") {
    id: ID!
    title: String @shareable
    year: Int
  }

  type Film implements Media @key(fields: "id") {
    id: ID!
    director: String @shareable
    year: Int
  }
`;

const ITEMS = { b1: { id: "b1", title: "Dune", year: 1965 }, f1: { id: "f1", director: "Scott", year: 1979 } };
export const resolvers = {
  Book: { __resolveReference: ({ id }) => ITEMS[id] ?? null },
  Film: { __resolveReference: ({ id }) => ITEMS[id] ?? null },
};
