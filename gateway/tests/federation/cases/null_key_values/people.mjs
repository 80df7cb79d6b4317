export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Passport @key(fields: "number country") {
    number: String
    country: String!
  }

  type Person {
    name: String!
    passport: Passport
  }

  type Query {
    people: [Person!]!
  }
`;

export const resolvers = {
  Query: {
    people: () => [
      { name: "Ada", passport: { number: "P1", country: "FR" } },
      { name: "Bob", passport: { number: null, country: "CN" } },
      { name: "Cy", passport: null },
    ],
  },
};
