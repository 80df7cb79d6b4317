export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Product @key(fields: "ean") {
    ean: String!
    stock: Int
  }
`;

export const resolvers = { Product: { __resolveReference: ({ ean }) => ({ ean, stock: ean === "400-1" ? 7 : 0 }) } };
