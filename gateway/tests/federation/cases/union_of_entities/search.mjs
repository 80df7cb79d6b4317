export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Person @key(fields: "id") {
    id: ID!
  }

  type Place @key(fields: "code") {
    code: ID!
  }

  union Hit = Person | Place

  type Query {
    search(term: String!): [Hit!]!
  }
`;

const HITS = [
  { __typename: "Person", id: "p1" },
  { __typename: "Place", code: "PAR" },
  { __typename: "Person", id: "p9" },
  { __typename: "Place", code: "LYS" },
];
export const resolvers = {
  Query: { search: (_, { term }) => (term === "none" ? [] : HITS) },
  Hit: { __resolveType: (hit) => hit.__typename },
};
