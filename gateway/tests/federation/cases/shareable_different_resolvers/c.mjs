export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

  type Product @key(fields: "id") {
    id: ID!
    label: String @shareable
    color: String
  }
`;

export const resolvers = {
  Product: { __resolveReference: ({ id }) => ({ id }), label: () => "c", color: () => "red" },
};
