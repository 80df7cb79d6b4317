export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Book @key(fields: "id") @key(fields: "isbn") {
    id: ID!
    isbn: String!
    title: String
  }

  type Query {
    books: [Book!]!
  }
`;

const BOOKS = [{ id: "b1", isbn: "111", title: "Dune" }, { id: "b2", isbn: "222", title: "Emma" }];
export const resolvers = {
  Query: { books: () => BOOKS },
  Book: { __resolveReference: (r) => BOOKS.find((b) => (r.id ? b.id === r.id : b.isbn === r.isbn)) ?? null },
};
