export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  interface Hit {
    id: ID!
  }

  type Page implements Hit @key(fields: "id") {
    id: ID!
    url: String
  }

  type Query {
    hits: [Hit!]!
  }
`;

export const resolvers = {
  Query: { hits: () => [{ __typename: "Page", id: "p1", url: "/a" }] },
  Hit: { __resolveType: (h) => h.__typename },
  Page: { __resolveReference: ({ id }) => ({ id, url: "/a" }) },
};
