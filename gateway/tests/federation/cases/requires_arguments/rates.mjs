export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  enum Currency { EUR USD }

  type Room @key(fields: "id") {
    id: ID!
    rate(currency: Currency!): Int
  }

  type Query {
    rooms: [Room!]!
  }
`;

const RATES = { r1: 100, r2: 80 };
const room = (id) => (id in RATES ? { id } : null);
export const resolvers = {
  Query: { rooms: () => Object.keys(RATES).map(room) },
  Room: {
    __resolveReference: ({ id }) => room(id),
    rate: ({ id }, { currency }) => (currency === "EUR" ? RATES[id] : RATES[id] + 10),
  },
};
