export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])

  enum Currency { EUR USD }

  type Room @key(fields: "id") {
    id: ID!
    rate(currency: Currency!): Int @external
    quote: String @requires(fields: "rate(currency: EUR)")
  }
`;

export const resolvers = {
  Room: {
    __resolveReference: (reference) => reference,
    quote: (room) => `${room.rate} EUR a night`,
  },
};
