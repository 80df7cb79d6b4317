export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Country @key(fields: "code") {
    code: ID!
    name: String
  }

  type Query {
    countries: [Country!]!
  }
`;

const NAMES = { FR: "France", CN: "China", XX: null };
export const resolvers = {
  Query: { countries: () => Object.keys(NAMES).map((code) => ({ code, name: NAMES[code] })) },
  Country: { __resolveReference: ({ code }) => (code in NAMES ? { code, name: NAMES[code] } : null) },
};
