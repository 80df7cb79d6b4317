export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type City @key(fields: "name") {
    name: String!
    temperature(unit: String = "C"): Float
  }

  type Query {
    city(name: String!): City
  }
`;

const TEMPS = { Paris: 20, Oslo: -5 };
const city = (name) => (name in TEMPS ? { name } : null);
export const resolvers = {
  Query: { city: (_, { name }) => city(name) },
  City: {
    __resolveReference: ({ name }) => city(name),
    temperature: ({ name }, { unit }) => (unit === "F" ? (TEMPS[name] * 9) / 5 + 32 : TEMPS[name]),
  },
};
