export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@provides"])

  type Movie @key(fields: "id") {
    id: ID!
    title: String @external
  }

  type Query {
    search(term: String!): [Movie!]! @provides(fields: "title")
  }
`;

export const resolvers = {
  Query: { search: () => [{ id: "m1", title: "Alien (search)" }, { id: "m2", title: "Heat (search)" }] },
};
