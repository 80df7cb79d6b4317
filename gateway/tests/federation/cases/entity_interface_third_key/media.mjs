export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  interface Media @key(fields: "id") {
    id: ID!
    title: String
  }

  type Book implements Media @key(fields: "id") @key(fields: "isbn") {
    id: ID!
    isbn: String!
    title: String
  }

  type Film implements Media @key(fields: "id") {
    id: ID!
    title: String
  }

  type Query {
    media: [Media!]!
  }
`;

const MEDIA = [
  { __typename: "Book", id: "b1", isbn: "978-1", title: "Dune" },
  { __typename: "Film", id: "f1", title: "Alien" },
  { __typename: "Book", id: "b2", isbn: "978-2", title: "Emma" },
];
const find = (ref) => MEDIA.find((m) => (ref.id ? m.id === ref.id : m.isbn === ref.isbn)) ?? null;
export const resolvers = {
  Query: { media: () => MEDIA },
  Media: { __resolveReference: find, __resolveType: (m) => m.__typename },
  Book: { __resolveReference: find },
  Film: { __resolveReference: find },
};
