export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Order @key(fields: "id") {
    id: ID!
    total: Int
    customer: Customer
  }

  type Customer @key(fields: "id") {
    id: ID!
  }

  type Query {
    orders: [Order!]!
  }
`;

export const resolvers = {
  Query: { orders: () => [{ id: "o1", total: 10, customer: { id: "c1" } }, { id: "o2", total: 20, customer: null }] },
};
