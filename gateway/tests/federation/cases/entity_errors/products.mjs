export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Product @key(fields: "sku") {
    sku: ID!
    name: String!
    price: Int
  }
`;

export const resolvers = {
  Product: {
    __resolveReference: ({ sku }) => {
      if (sku === "boom") throw new Error("product boom is broken");
      return { sku };
    },
    name: ({ sku }) => (sku === "null-name" ? null : `Product ${sku}`),
    price: ({ sku }) => {
      if (sku === "ok") throw new Error("no price today");
      return 7;
    },
  },
};
