export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@provides"])

  type Order @key(fields: "id") {
    id: ID!
    buyer: Customer @provides(fields: "name")
    seller: Customer
  }

  type Customer @key(fields: "id") {
    id: ID!
    name: String @external
  }

  type Query {
    order(id: ID!): Order
  }
`;

export const resolvers = {
  Query: {
    order: (_, { id }) => (id === "o1" ? { id, buyer: { id: "c1", name: "Ada" }, seller: { id: "c2" } } : null),
  },
};
