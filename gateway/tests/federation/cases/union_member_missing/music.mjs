export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Song @key(fields: "id") {
    id: ID!
    title: String!
    seconds: Int!
  }

  type Book @key(fields: "id") {
    id: ID!
    title: String!
  }

  union Item = Song | Book

  type Query {
    playlist: [Item!]!
  }
`;

const ITEMS = [
  { __typename: "Song", id: "s1", title: "Blue", seconds: 200 },
  { __typename: "Book", id: "b1", title: "Dune" },
];

export const resolvers = {
  Query: { playlist: () => ITEMS },
  Item: { __resolveType: (item) => item.__typename },
  Book: { __resolveReference: ({ id }) => ({ id, title: id === "b1" ? "Dune" : "Emma" }) },
};
