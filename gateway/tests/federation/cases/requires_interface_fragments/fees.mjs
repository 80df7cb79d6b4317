export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])

  interface Medium {
    id: ID!
  }

  type Book implements Medium @key(fields: "id") {
    id: ID!
    pages: Int @external
  }

  type Film implements Medium @key(fields: "id") {
    id: ID!
    minutes: Int @external
  }

  type Loan @key(fields: "id") {
    id: ID!
    item: Medium @external
    days: Int @requires(fields: "item { ... on Book { pages } ... on Film { minutes } }")
  }
`;

export const resolvers = {
  Medium: { __resolveType: (m) => m.__typename },
  Loan: {
    __resolveReference: (reference) => reference,
    days: ({ item }) => {
      if (item === null) return null;
      if (item.pages === null) throw new Error("a book without pages");
      return item.pages !== undefined ? Math.ceil(item.pages / 100) : Math.ceil(item.minutes / 60);
    },
  },
};
