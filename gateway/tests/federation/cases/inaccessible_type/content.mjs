export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@inaccessible"])

  type Article @key(fields: "id") {
    id: ID!
    title: String!
  }

  type Draft @inaccessible {
    id: ID!
    notes: String
  }

  union Content = Article | Draft

  type Query {
    content: [Content!]!
  }
`;

const CONTENT = [
  { __typename: "Article", id: "a1", title: "Hello" },
  { __typename: "Draft", id: "d1", notes: "wip" },
];
export const resolvers = {
  Query: { content: () => CONTENT },
  Content: { __resolveType: (c) => c.__typename },
  Article: { __resolveReference: ({ id }) => CONTENT.find((c) => c.id === id) ?? null },
};
