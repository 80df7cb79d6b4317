export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  interface Hit {
    id: ID!
  }

  type Page implements Hit @key(fields: "id") {
    id: ID!
  }

  type Image implements Hit @key(fields: "id") {
    id: ID!
    width: Int
  }

  type Query {
    recent: [Hit!]!
  }
`;

export const resolvers = {
  Query: { recent: () => [{ __typename: "Image", id: "i1", width: 640 }, { __typename: "Page", id: "p1" }] },
  Hit: { __resolveType: (h) => h.__typename },
  Page: { __resolveReference: ({ id }) => ({ id }) },
  Image: { __resolveReference: ({ id }) => ({ id, width: 640 }) },
};
