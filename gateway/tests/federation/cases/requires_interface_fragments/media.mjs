export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

  interface Medium {
    id: ID!
  }

  type Book implements Medium @key(fields: "id") {
    id: ID!
    pages: Int
  }

  type Film implements Medium @key(fields: "id") {
    id: ID!
    minutes: Int
  }

  type Loan @key(fields: "id") {
    id: ID!
    item: Medium
  }

  type Query {
    loans: [Loan!]!
  }
`;

const ITEMS = { b1: { __typename: "Book", id: "b1", pages: 300 }, f1: { __typename: "Film", id: "f1", minutes: 90 }, b2: { __typename: "Book", id: "b2", pages: null } };
const LOANS = { l1: "b1", l2: "f1", l3: "b2", l4: null };
const loan = (id) => (id in LOANS ? { id, item: ITEMS[LOANS[id]] ?? null } : null);
export const resolvers = {
  Query: { loans: () => Object.keys(LOANS).map(loan) },
  Medium: { __resolveType: (m) => m.__typename },
  Loan: { __resolveReference: ({ id }) => loan(id) },
  Book: { __resolveReference: ({ id }) => ITEMS[id] ?? null },
  Film: { __resolveReference: ({ id }) => ITEMS[id] ?? null },
};
