export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Book @key(fields: "isbn") {
    isbn: String!
    copies: Int
  }

  type Query {
    lowStock: [Book!]!
  }
`;

const COPIES = { 111: 3, 222: 0 };
export const resolvers = {
  Query: { lowStock: () => [{ isbn: "222", copies: 0 }] },
  Book: { __resolveReference: ({ isbn }) => (isbn in COPIES ? { isbn, copies: COPIES[isbn] } : null) },
};
