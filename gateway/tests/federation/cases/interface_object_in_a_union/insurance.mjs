export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])

  type Vehicle @key(fields: "id") @interfaceObject {
    id: ID!
    insured: Boolean
    premium(years: Int = 1): Int
  }
`;

export const resolvers = {
  Vehicle: {
    __resolveReference: ({ id }) => ({ id }),
    insured: ({ id }) => id === "c1",
    premium: ({ id }, { years }) => (id === "c1" ? 300 * years : null),
  },
};
