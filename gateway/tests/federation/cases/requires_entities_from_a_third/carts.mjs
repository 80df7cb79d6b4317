export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Cart @key(fields: "id") {
    id: ID!
    items: [Product!]!
  }

  type Product @key(fields: "sku") {
    sku: ID!
  }

  type Query {
    carts: [Cart!]!
  }
`;

const CARTS = { k1: ["a", "b"], k2: [], k3: ["b", "zz"] };
export const resolvers = {
  Query: { carts: () => Object.keys(CARTS).map((id) => ({ id, items: CARTS[id].map((sku) => ({ sku })) })) },
  Cart: { __resolveReference: ({ id }) => (id in CARTS ? { id, items: CARTS[id].map((sku) => ({ sku })) } : null) },
};
