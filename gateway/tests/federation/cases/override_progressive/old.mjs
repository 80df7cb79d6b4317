export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  type Item @key(fields: "id") {
    id: ID!
    weight: Int
    size: Int
  }

  type Query {
    items: [Item!]!
  }
`;

const ITEMS = { i1: { id: "i1", weight: 1, size: 3 }, i2: { id: "i2", weight: 2, size: null } };
export const resolvers = {
  Query: { items: () => Object.values(ITEMS) },
  Item: { __resolveReference: ({ id }) => ITEMS[id] ?? null },
};
