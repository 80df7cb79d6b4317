export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type User @key(fields: "id") {
    id: ID!
    name: String
  }

  type Query {
    me: User
  }
`;

export const resolvers = { Query: { me: () => ({ id: "u1", name: "Ada" }) }, User: { __resolveReference: ({ id }) => ({ id, name: "Ada" }) } };
