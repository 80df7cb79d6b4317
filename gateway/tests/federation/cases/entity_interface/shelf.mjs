export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

  interface Media @key(fields: "id") {
    id: ID!
    shelf: String
  }

  type Book implements Media @key(fields: "id") {
    id: ID!
    shelf: String
  }

  type Movie implements Media @key(fields: "id") {
    id: ID!
    shelf: String
  }

  type Query {
    newest: Media
    onShelf(shelf: String!): [Media!]!
  }
`;

const SHELVED = [
  { __typename: "Book", id: "b1", shelf: "A" },
  { __typename: "Movie", id: "m1", shelf: "B" },
  { __typename: "Book", id: "b2", shelf: "A" },
];
const byId = (id) => SHELVED.find((item) => item.id === id) ?? null;

export const resolvers = {
  Query: {
    newest: () => SHELVED[1],
    onShelf: (_, { shelf }) => SHELVED.filter((item) => item.shelf === shelf),
  },
  Media: { __resolveReference: ({ id }) => byId(id), __resolveType: (item) => item.__typename },
  Book: { __resolveReference: ({ id }) => byId(id) },
  Movie: { __resolveReference: ({ id }) => byId(id) },
};
