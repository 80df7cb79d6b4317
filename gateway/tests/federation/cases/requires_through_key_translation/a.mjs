export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Flight @key(fields: "number") {
    number: ID!
    seats: Int
  }

  type Query {
    flights: [Flight!]!
  }
`;

export const resolvers = {
  Query: { flights: () => [{ number: "AF1", seats: 180 }, { number: "CA2", seats: 300 }] },
  Flight: { __resolveReference: ({ number }) => ({ number, seats: number === "AF1" ? 180 : 300 }) },
};
