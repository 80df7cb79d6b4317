export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])

  enum Currency { EUR USD }

  type Room @key(fields: "id") {
    id: ID!
    rate(currency: Currency!): Int @external
    euroQuote: String @requires(fields: "rate(currency: EUR)")
    dollarQuote: String @requires(fields: "rate(currency: USD)")
  }
`;

export const resolvers = {
  Room: {
    __resolveReference: (reference) => reference,
    euroQuote: (room) => `${room.rate} EUR`,
    dollarQuote: (room) => `${room.rate} USD`,
  },
};
