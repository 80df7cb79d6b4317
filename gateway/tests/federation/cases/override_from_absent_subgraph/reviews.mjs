export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  type Product @key(fields: "id") {
    id: ID!
    stars: Int
  }
`;

export const resolvers = { Product: { __resolveReference: ({ id }) => ({ id, stars: id === "p1" ? 5 : null }) } };
