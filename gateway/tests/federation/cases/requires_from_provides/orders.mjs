export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@provides"])

  type Order @key(fields: "id") {
    id: ID!
    customer: Customer @provides(fields: "country")
  }

  type Customer @key(fields: "id") {
    id: ID!
    country: String @external
  }

  type Query {
    orders: [Order!]!
  }
`;

export const resolvers = {
  Query: {
    orders: () => [
      { id: "o1", customer: { id: "c1", country: "FR" } },
      { id: "o2", customer: { id: "c2", country: "CN" } },
      { id: "o3", customer: null },
    ],
  },
};
