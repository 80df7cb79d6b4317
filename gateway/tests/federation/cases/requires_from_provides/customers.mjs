export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

  type Customer @key(fields: "id") {
    id: ID!
    country: String @shareable
    name: String
  }
`;

const CUSTOMERS = { c1: { id: "c1", country: "France", name: "Ada" }, c2: { id: "c2", country: "China", name: "Li" } };
export const resolvers = { Customer: { __resolveReference: ({ id }) => CUSTOMERS[id] ?? null } };
