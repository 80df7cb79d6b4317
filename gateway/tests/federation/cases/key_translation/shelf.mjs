export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Book @key(fields: "id") {
    id: ID!
    shelf: String
  }

  type Query {
    shelved: [Book!]!
  }
`;

export const resolvers = {
  Query: { shelved: () => [{ id: "b1", shelf: "A" }, { id: "b2", shelf: "B" }, { id: "b9", shelf: "C" }] },
  Book: { __resolveReference: ({ id }) => ({ id, shelf: "A" }) },
};
