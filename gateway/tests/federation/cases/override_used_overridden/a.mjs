export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  type Item @key(fields: "id") @key(fields: "code") {
    id: ID!
    code: String!
    name: String
  }

  type Query {
    items: [Item!]!
  }
`;

// a's codes are lower case, b's upper case: an answer shows who gave the code.
const ITEMS = [{ id: "i1", code: "c1", name: "Pen" }, { id: "i2", code: "c2", name: "Ink" }];
export const resolvers = {
  Query: { items: () => ITEMS },
  Item: { __resolveReference: (ref) => ITEMS.find((i) => (ref.id ? i.id === ref.id : i.code === ref.code.toLowerCase())) ?? null },
};
