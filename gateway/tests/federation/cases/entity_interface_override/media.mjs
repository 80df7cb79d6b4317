export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  interface Media @key(fields: "id") {
    id: ID!
    title: String
  }

  type Book implements Media @key(fields: "id") {
    id: ID!
    title: String
    rating: Int
  }

  type Film implements Media @key(fields: "id") {
    id: ID!
    title: String
    rating: Int
  }

  type Query {
    media: [Media!]!
  }
`;

const MEDIA = [
  { __typename: "Book", id: "b1", title: "Dune", rating: 1 },
  { __typename: "Film", id: "f1", title: "Alien", rating: 2 },
];
const byId = (id) => MEDIA.find((m) => m.id === id) ?? null;
export const resolvers = {
  Query: { media: () => MEDIA },
  Media: { __resolveReference: ({ id }) => byId(id), __resolveType: (m) => m.__typename },
  Book: { __resolveReference: ({ id }) => byId(id) },
  Film: { __resolveReference: ({ id }) => byId(id) },
};
