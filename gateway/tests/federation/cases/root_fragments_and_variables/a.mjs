export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Item @key(fields: "id") {
    id: ID!
    label: String
  }

  type Query {
    items(tags: [String!]): [Item!]!
    first: Item
  }
`;

const ITEMS = [{ id: "i1", label: "one", tags: ["x"] }, { id: "i2", label: "two", tags: ["y"] }];
export const resolvers = {
  Query: {
    items: (_, { tags }) => (tags ? ITEMS.filter((i) => i.tags.some((t) => tags.includes(t))) : ITEMS),
    first: () => ITEMS[0],
  },
  Item: { __resolveReference: ({ id }) => ITEMS.find((i) => i.id === id) ?? null },
};
