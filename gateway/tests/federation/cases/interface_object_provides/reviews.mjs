export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject", "@external", "@provides"])

  type Subject @key(fields: "id") @interfaceObject {
    id: ID!
    title: String @external
  }

  type Review {
    stars: Int!
    subject: Subject @provides(fields: "title")
  }

  type Query {
    reviews: [Review!]!
  }
`;

export const resolvers = {
  Query: {
    reviews: () => [
      { stars: 5, subject: { id: "c1", title: "Algebra (reviews)" } },
      { stars: 2, subject: { id: "e1", title: "Final (reviews)" } },
      { stars: 3, subject: null },
    ],
  },
};
