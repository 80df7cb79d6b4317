export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])

  type Product @key(fields: "sku", resolvable: false) @interfaceObject {
    sku: ID!
  }

  type Order {
    id: ID!
    items: [Product!]!
    gift: Product
  }

  type Query {
    orders: [Order!]!
  }
`;

export const resolvers = {
  Query: {
    orders: () => [
      { id: "o1", items: [{ sku: "s1" }, { sku: "h1" }], gift: null },
      { id: "o2", items: [{ sku: "h1" }], gift: { sku: "gone" } },
    ],
  },
};
