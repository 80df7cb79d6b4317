export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  input Range {
    min: Int = 0
    max: Int
  }

  input Filter {
    tags: [String!]
    price: Range
  }

  type Item @key(fields: "id") {
    id: ID!
    price: Int!
    tags: [String!]!
  }

  type Query {
    items(filter: Filter): [Item!]!
  }
`;

const ITEMS = [
  { id: "i1", price: 5, tags: ["red"] },
  { id: "i2", price: 15, tags: ["blue", "red"] },
  { id: "i3", price: 50, tags: [] },
];
export const resolvers = {
  Query: {
    items: (_, { filter }) =>
      ITEMS.filter(
        (i) =>
          (!filter?.tags || filter.tags.some((t) => i.tags.includes(t))) &&
          (!filter?.price || (i.price >= filter.price.min && (filter.price.max == null || i.price <= filter.price.max))),
      ),
  },
  Item: { __resolveReference: ({ id }) => ITEMS.find((i) => i.id === id) ?? null },
};
