export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Passport @key(fields: "number country") {
    number: String
    country: String!
    valid: Boolean
  }
`;

export const resolvers = {
  Passport: {
    __resolveReference: ({ number, country }) => ({ number, country, valid: number === null ? null : country === "FR" }),
  },
};
