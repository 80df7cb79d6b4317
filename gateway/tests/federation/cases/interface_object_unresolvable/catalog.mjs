export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  interface Product @key(fields: "sku") {
    sku: ID!
    name: String!
  }

  type Shoe implements Product @key(fields: "sku") {
    sku: ID!
    name: String!
    size: Int!
  }

  type Hat implements Product @key(fields: "sku") {
    sku: ID!
    name: String!
  }

  type Query {
    product(sku: ID!): Product
  }
`;

const PRODUCTS = [
  { __typename: "Shoe", sku: "s1", name: "Runner", size: 42 },
  { __typename: "Hat", sku: "h1", name: "Cap" },
];
const bySku = (sku) => PRODUCTS.find((product) => product.sku === sku) ?? null;

export const resolvers = {
  Query: { product: (_, { sku }) => bySku(sku) },
  Product: { __resolveReference: ({ sku }) => bySku(sku), __resolveType: (p) => p.__typename },
  Shoe: { __resolveReference: ({ sku }) => bySku(sku) },
  Hat: { __resolveReference: ({ sku }) => bySku(sku) },
};
