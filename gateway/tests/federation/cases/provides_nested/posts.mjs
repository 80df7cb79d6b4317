export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@provides", "@shareable"])

  type Post @key(fields: "id") {
    id: ID!
    title: String!
    author: Author @provides(fields: "name team { name lead { name } }")
  }

  type Author @key(fields: "id") {
    id: ID!
    name: String @external
    team: Team @external
  }

  type Team @key(fields: "id") {
    id: ID!
    name: String @external
    lead: Author @external
  }

  type Query {
    posts: [Post!]!
  }
`;

export const resolvers = {
  Query: {
    posts: () => [
      { id: "p1", title: "Hello", author: { id: "a1", name: "Ada*", team: { id: "t1", name: "Core*", lead: { id: "a2", name: "Bob*" } } } },
      { id: "p2", title: "Bye", author: { id: "a2", name: "Bob*", team: null } },
    ],
  },
};
