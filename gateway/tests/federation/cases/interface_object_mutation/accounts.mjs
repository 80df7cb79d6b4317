export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  interface Account @key(fields: "id") {
    id: ID!
    owner: String!
  }

  type Personal implements Account @key(fields: "id") {
    id: ID!
    owner: String!
  }

  type Business implements Account @key(fields: "id") {
    id: ID!
    owner: String!
    company: String
  }
`;

const ACCOUNTS = [
  { __typename: "Personal", id: "a1", owner: "Ada" },
  { __typename: "Business", id: "a2", owner: "Bob", company: "Acme" },
];
const byId = (id) => ACCOUNTS.find((a) => a.id === id) ?? null;
export const resolvers = {
  Account: { __resolveReference: ({ id }) => byId(id), __resolveType: (a) => a.__typename },
  Personal: { __resolveReference: ({ id }) => byId(id) },
  Business: { __resolveReference: ({ id }) => byId(id) },
};
