export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  type Item @key(fields: "code") {
    code: String!
    stock: Int
  }

  type Query {
    lowStock: [Item!]!
  }
`;

export const resolvers = {
  Query: { lowStock: () => [{ code: "c2", stock: 0 }] },
  Item: { __resolveReference: ({ code }) => ({ code, stock: code.toLowerCase() === "c1" ? 5 : 0 }) },
};
