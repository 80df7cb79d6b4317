export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])

  type Customer @key(fields: "id") {
    id: ID!
    country: String @external
    vatRate: Int @requires(fields: "country")
  }
`;

const RATES = { FR: 20, CN: 13, France: 21, China: 14 };
export const resolvers = {
  Customer: {
    __resolveReference: (ref) => ref,
    vatRate: ({ country }) => RATES[country] ?? null,
  },
};
