export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Book @key(fields: "id") {
    id: ID!
    stars: Int
  }
`;

const STARS = { b1: 5, b2: 3 };
export const resolvers = { Book: { __resolveReference: ({ id }) => ({ id, stars: STARS[id] ?? null }) } };
