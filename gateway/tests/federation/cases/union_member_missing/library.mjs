export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Book @key(fields: "id") {
    id: ID!
    pages: Int
  }

  type Magazine {
    issue: Int!
  }

  union Item = Book | Magazine

  type Query {
    shelf: [Item!]!
  }
`;

export const resolvers = {
  Query: { shelf: () => [{ __typename: "Book", id: "b2", pages: 90 }, { __typename: "Magazine", issue: 7 }] },
  Item: { __resolveType: (item) => item.__typename },
  Book: { __resolveReference: ({ id }) => ({ id, pages: id === "b1" ? 412 : 90 }) },
};
