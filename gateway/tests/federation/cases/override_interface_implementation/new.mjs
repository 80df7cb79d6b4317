export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@override"])

  type Book @key(fields: "id") {
    id: ID!
    price: Int @override(from: "old")
  }
`;

const PRICES = { b1: 100 };
export const resolvers = {
  Book: { __resolveReference: ({ id }) => (id in PRICES ? { id, price: PRICES[id] } : null) },
};
