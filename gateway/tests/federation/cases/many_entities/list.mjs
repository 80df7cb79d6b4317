export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Point @key(fields: "id") {
    id: ID!
    n: Int!
  }

  type Query {
    points(count: Int!): [Point]!
  }
`;

// Every third point repeats an earlier one; every seventh is null.
export const resolvers = {
  Query: {
    points: (_, { count }) =>
      Array.from({ length: count }, (_, i) => (i % 7 === 6 ? null : { id: `p${i % 3 === 2 ? i - 2 : i}`, n: i })),
  },
};
