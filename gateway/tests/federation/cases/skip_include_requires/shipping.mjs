export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])

  type Product @key(fields: "id") {
    id: ID!
    weight: Int @external
    shipping: Int @requires(fields: "weight")
    express: Boolean
  }
`;

export const resolvers = {
  Product: {
    __resolveReference: (reference) => reference,
    shipping: ({ weight }) => weight * 2,
    express: ({ id }) => id === "p1",
  },
};
