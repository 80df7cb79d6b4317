export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

  type Movie @key(fields: "id") {
    id: ID!
    title: String @shareable
    year: Int @shareable
  }
`;

const MOVIES = { m1: { id: "m1", title: "Alien", year: 1979 }, m2: { id: "m2", title: "Heat", year: 1995 } };
export const resolvers = { Movie: { __resolveReference: ({ id }) => MOVIES[id] ?? null } };
