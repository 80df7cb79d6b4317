export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Flight @key(fields: "number") @key(fields: "code") {
    number: ID!
    code: String!
    booked: Int
  }
`;

const CODES = { AF1: "x-af1", CA2: "x-ca2" };
const BOOKED = { "x-af1": 150, "x-ca2": 300 };
export const resolvers = {
  Flight: {
    __resolveReference: (ref) => {
      const number = ref.number ?? Object.keys(CODES).find((key) => CODES[key] === ref.code);
      return number ? { number, code: CODES[number], booked: BOOKED[CODES[number]] } : null;
    },
  },
};
