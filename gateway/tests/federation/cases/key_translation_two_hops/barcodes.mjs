export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Product @key(fields: "sku") @key(fields: "ean") {
    sku: String!
    ean: String!
  }
`;

const EAN = { S1: "400-1", S2: "400-2" };
export const resolvers = {
  Product: {
    __resolveReference: (ref) => {
      const sku = ref.sku ?? Object.keys(EAN).find((key) => EAN[key] === ref.ean);
      return sku ? { sku, ean: EAN[sku] } : null;
    },
  },
};
