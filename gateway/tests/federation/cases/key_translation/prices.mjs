export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Book @key(fields: "isbn") {
    isbn: String!
    price: Int
  }

  type Query {
    cheapest: Book
  }
`;

const PRICES = { 111: 9, 222: 12 };
export const resolvers = {
  Query: { cheapest: () => ({ isbn: "111", price: 9 }) },
  Book: { __resolveReference: ({ isbn }) => ({ isbn, price: PRICES[isbn] ?? null }) },
};
