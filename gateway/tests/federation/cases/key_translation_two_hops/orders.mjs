export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Product @key(fields: "id", resolvable: false) {
    id: ID!
  }

  type Order {
    id: ID!
    product: Product
  }

  type Query {
    orders: [Order!]!
  }
`;

export const resolvers = {
  Query: { orders: () => [{ id: "o1", product: { id: "p1" } }, { id: "o2", product: { id: "p2" } }, { id: "o3", product: null }] },
};
