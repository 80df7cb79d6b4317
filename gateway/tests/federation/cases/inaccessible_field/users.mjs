export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@inaccessible"])

  type User @key(fields: "id") {
    id: ID!
    name: String!
    passwordHash: String @inaccessible
    internalId: Int! @inaccessible
  }

  type Query {
    user(id: ID!): User
    debug: String @inaccessible
  }
`;

const USERS = [{ id: "u1", name: "Ada", passwordHash: "x1", internalId: 7 }];
const byId = (id) => USERS.find((user) => user.id === id) ?? null;
export const resolvers = {
  Query: { user: (_, { id }) => byId(id), debug: () => "secret" },
  User: { __resolveReference: ({ id }) => byId(id) },
};
