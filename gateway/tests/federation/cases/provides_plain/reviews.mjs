export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@provides", "@shareable"])

  type Review {
    id: ID!
    body: String!
    author: User @provides(fields: "name")
    editor: User
  }

  type User @key(fields: "id") {
    id: ID!
    name: String! @external
  }

  type Query {
    reviews: [Review!]!
  }
`;

const NAMES = { u1: "Ada (from reviews)", u2: "Bob (from reviews)" };
export const resolvers = {
  Query: {
    reviews: () => [
      { id: "r1", body: "Great", author: { id: "u1", name: NAMES.u1 }, editor: { id: "u2" } },
      { id: "r2", body: "Meh", author: null, editor: { id: "u1" } },
      { id: "r3", body: "Fine", author: { id: "u2", name: NAMES.u2 }, editor: null },
    ],
  },
};
