export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Customer @key(fields: "id") {
    id: ID!
    name: String
    vip: Boolean!
  }

  type Query {
    customer(id: ID!): Customer
  }
`;

// customers is down: every request to it gets a 503 and a text body.
export const down = true;
export const resolvers = {};
