export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.8", import: ["@key", "@context", "@fromContext", "@external"])

  type Store @key(fields: "id") @context(name: "store") {
    id: ID!
    currency: String!
    items: [Item!]!
  }

  type Item @key(fields: "sku") {
    sku: ID!
    price(currency: String @fromContext(field: "$store { currency }")): String
  }

  type Query {
    stores: [Store!]!
  }
`;

const PRICES = { i1: 10, i2: 25 };
const STORES = [
  { id: "s1", currency: "EUR", items: [{ sku: "i1" }, { sku: "i2" }] },
  { id: "s2", currency: "CNY", items: [{ sku: "i1" }] },
];
export const resolvers = {
  Query: { stores: () => STORES },
  Store: { __resolveReference: ({ id }) => STORES.find((s) => s.id === id) ?? null },
  Item: {
    __resolveReference: ({ sku }) => ({ sku }),
    price: ({ sku }, { currency }) => (currency ? `${PRICES[sku]} ${currency}` : null),
  },
};
