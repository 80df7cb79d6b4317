export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])

  type Flight @key(fields: "code") {
    code: String!
    seats: Int @external
    booked: Int @external
    full: Boolean @requires(fields: "seats booked")
  }
`;

export const resolvers = {
  Flight: {
    __resolveReference: (reference) => reference,
    full: ({ seats, booked }) => booked >= seats,
  },
};
