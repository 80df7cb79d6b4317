export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@provides", "@shareable"])

  interface Media {
    id: ID!
  }

  type Book implements Media @key(fields: "id") {
    id: ID!
    title: String @external
  }

  type Film implements Media @key(fields: "id") {
    id: ID!
    director: String @external
  }

  type Entry {
    at: Int!
    media: Media @provides(fields: "... on Book { title } ... on Film { director }")
  }

  type Query {
    feed: [Entry!]!
  }
`;

export const resolvers = {
  Query: {
    feed: () => [
      { at: 1, media: { __typename: "Book", id: "b1", title: "Dune (feed)" } },
      { at: 2, media: { __typename: "Film", id: "f1", director: "Scott (feed)" } },
      { at: 3, media: null },
    ],
  },
  Media: { __resolveType: (m) => m.__typename },
};
