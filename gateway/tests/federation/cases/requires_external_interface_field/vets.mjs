export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])

  interface Pet {
    name: String!
  }

  type Dog implements Pet {
    name: String! @external
  }

  type Cat implements Pet {
    name: String! @external
  }

  type Owner @key(fields: "id") {
    id: ID!
    pet: Pet @external
    checkup: String @requires(fields: "pet { name }")
  }
`;

export const resolvers = {
  Pet: { __resolveType: (p) => p.__typename },
  Owner: {
    __resolveReference: (reference) => reference,
    checkup: ({ pet }) => (pet ? `${pet.name}: healthy` : "no pet"),
  },
};
