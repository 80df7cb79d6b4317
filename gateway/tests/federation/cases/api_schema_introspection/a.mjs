export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@inaccessible", "@shareable", "@tag"])

  interface Node @key(fields: "id") {
    id: ID!
  }

  type Doc implements Node @key(fields: "id") {
    id: ID!
    body: String @shareable
    secret: String @inaccessible
  }

  enum Kind { TEXT IMAGE @inaccessible }

  type Query {
    docs(kind: Kind = TEXT): [Doc!]! @tag(name: "public")
  }
`;

export const resolvers = {
  Query: { docs: () => [{ id: "d1", body: "hi", secret: "s" }] },
  Node: { __resolveReference: ({ id }) => ({ __typename: "Doc", id }), __resolveType: (n) => n.__typename ?? "Doc" },
  Doc: { __resolveReference: ({ id }) => ({ id, body: "hi" }) },
};
