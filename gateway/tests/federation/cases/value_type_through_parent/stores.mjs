export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

  type Store @key(fields: "id") {
    id: ID!
    name: String!
    info: Info @shareable
  }

  type Info @shareable {
    phone: String
  }

  type Query {
    stores: [Store!]!
  }
`;

const STORES = [{ id: "s1", name: "North", info: { phone: "111" } }, { id: "s2", name: "South", info: null }];
export const resolvers = { Query: { stores: () => STORES }, Store: { __resolveReference: ({ id }) => STORES.find((s) => s.id === id) ?? null } };
