export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Film @key(fields: "id") {
    id: ID!
    title: String
    year: Int
  }

  type Query {
    films: [Film!]!
  }
`;

export const resolvers = {
  Query: { films: () => [{ id: "f1", title: "Alien", year: 1979 }, { id: "f2", title: "Heat", year: 1995 }] },
  Film: { __resolveReference: ({ id }) => ({ id, title: id === "f1" ? "Alien" : "Heat", year: id === "f1" ? 1979 : 1995 }) },
};
