export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])

  type Cart @key(fields: "id") {
    id: ID!
    items: [Product!]! @external
    total: Int @requires(fields: "items { price }")
  }

  type Product @key(fields: "sku") {
    sku: ID!
    price: Int @external
  }
`;

export const resolvers = {
  Cart: {
    __resolveReference: (reference) => reference,
    total: ({ items }) => {
      if (items.some((item) => item.price === null)) throw new Error("an item has no price");
      return items.reduce((sum, item) => sum + item.price, 0);
    },
  },
};
