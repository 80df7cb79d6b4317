export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  input Where {
    shops: [String!]!
    open: Boolean = true
  }

  type Item @key(fields: "id") {
    id: ID!
    available(where: Where!): Int
  }
`;

const STOCK = { i1: { north: 2, south: 0 }, i2: { north: 1 }, i3: {} };
export const resolvers = {
  Item: {
    __resolveReference: ({ id }) => ({ id }),
    available: ({ id }, { where }) =>
      where.open ? where.shops.reduce((sum, shop) => sum + (STOCK[id]?.[shop] ?? 0), 0) : null,
  },
};
