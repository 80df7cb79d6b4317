export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  interface Media @key(fields: "id") {
    id: ID!
    title: String!
  }

  type Book implements Media @key(fields: "id") {
    id: ID!
    title: String!
    pages: Int
  }

  type Movie implements Media @key(fields: "id") {
    id: ID!
    title: String!
    minutes: Int
  }

  type Query {
    media: [Media!]!
    medium(id: ID!): Media
  }
`;

const MEDIA = [
  { __typename: "Book", id: "b1", title: "Dune", pages: 412 },
  { __typename: "Movie", id: "m1", title: "Alien", minutes: 117 },
  { __typename: "Book", id: "b2", title: "Emma", pages: null },
];
const byId = (id) => MEDIA.find((medium) => medium.id === id) ?? null;

export const resolvers = {
  Query: { media: () => MEDIA, medium: (_, { id }) => byId(id) },
  Media: { __resolveReference: ({ id }) => byId(id), __resolveType: (medium) => medium.__typename },
  Book: { __resolveReference: ({ id }) => byId(id) },
  Movie: { __resolveReference: ({ id }) => byId(id) },
};
