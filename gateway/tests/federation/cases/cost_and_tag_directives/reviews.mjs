export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@tag", "@cost"])

  type Product @key(fields: "id") {
    id: ID!
    stars: Int @cost(weight: 3)
  }
`;

export const resolvers = { Product: { __resolveReference: ({ id }) => ({ id, stars: id === "p1" ? 4 : null }) } };
