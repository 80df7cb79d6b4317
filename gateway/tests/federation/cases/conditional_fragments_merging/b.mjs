export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Film @key(fields: "id") {
    id: ID!
    rating: Float
    cast: [String!]
  }
`;

export const resolvers = {
  Film: { __resolveReference: ({ id }) => ({ id, rating: id === "f1" ? 8.5 : 8.3, cast: id === "f1" ? ["Weaver"] : ["Pacino", "De Niro"] }) },
};
