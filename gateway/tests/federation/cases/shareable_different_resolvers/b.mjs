export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

  type Product @key(fields: "id") {
    id: ID!
    name: String @shareable
    stock: Int
  }

  type Query {
    fromB: Product
  }
`;

export const resolvers = {
  Query: { fromB: () => ({ id: "p1" }) },
  Product: { __resolveReference: ({ id }) => ({ id }), name: ({ id }) => `${id} by b`, stock: () => 4 },
};
