export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Book @key(fields: "id") @key(fields: "isbn") {
    id: ID!
    isbn: String!
  }
`;

const ISBN = { b1: "111", b2: "222" };
export const resolvers = {
  Book: {
    __resolveReference: (ref) => {
      if (ref.id) return ref.id in ISBN ? { id: ref.id, isbn: ISBN[ref.id] } : null;
      const id = Object.keys(ISBN).find((key) => ISBN[key] === ref.isbn);
      return id ? { id, isbn: ref.isbn } : null;
    },
  },
};
