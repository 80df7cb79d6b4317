export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])

  type User @key(fields: "id") {
    id: ID!
    internalId: Int! @external
    auditTrail: [String!]! @requires(fields: "internalId")
  }
`;

export const resolvers = {
  User: {
    __resolveReference: (reference) => reference,
    auditTrail: ({ internalId }) => [`login #${internalId}`, `logout #${internalId}`],
  },
};
