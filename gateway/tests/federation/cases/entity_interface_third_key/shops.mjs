export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Book @key(fields: "isbn") {
    isbn: String!
    inStock: Boolean
  }

  type Query {
    bestseller: Book
  }
`;

export const resolvers = {
  Query: { bestseller: () => ({ isbn: "978-2", inStock: true }) },
  Book: { __resolveReference: ({ isbn }) => ({ isbn, inStock: isbn === "978-2" }) },
};
