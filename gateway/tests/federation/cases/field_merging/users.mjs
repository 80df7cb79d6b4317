export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type User @key(fields: "id") {
    id: ID!
    name: String
    address: Address
  }

  type Address {
    city: String
    street: String
  }

  type Query {
    me: User
  }
`;

export const resolvers = {
  Query: { me: () => ({ id: "u1", name: "Ada", address: { city: "Lyon", street: "Rue A" } }) },
  User: { __resolveReference: ({ id }) => ({ id, name: "Ada", address: { city: "Lyon", street: "Rue A" } }) },
};
