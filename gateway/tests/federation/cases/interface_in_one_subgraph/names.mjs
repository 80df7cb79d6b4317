export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  interface Named {
    name: String!
  }

  type Shop implements Named @key(fields: "id") {
    id: ID!
    name: String!
  }

  type Owner implements Named @key(fields: "id") {
    id: ID!
    name: String!
  }

  type Query {
    named: [Named!]!
  }
`;

const NAMED = [
  { __typename: "Shop", id: "s1", name: "Corner" },
  { __typename: "Owner", id: "w1", name: "Ines" },
  { __typename: "Owner", id: "w9", name: "Ghost" },
];
export const resolvers = {
  Query: { named: () => NAMED },
  Named: { __resolveType: (n) => n.__typename },
  Shop: { __resolveReference: ({ id }) => NAMED.find((n) => n.id === id) ?? null },
  Owner: { __resolveReference: ({ id }) => NAMED.find((n) => n.id === id) ?? null },
};
