export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])

  type User @key(fields: "id") {
    id: ID!
    code: String @external
    score: Int
    badge: String @requires(fields: "code")
  }
`;

export const resolvers = {
  User: {
    __resolveReference: (ref) => ref,
    score: ({ id }) => (id === "u1" ? 90 : 40),
    badge: ({ code }) => `badge ${code}`,
  },
};
