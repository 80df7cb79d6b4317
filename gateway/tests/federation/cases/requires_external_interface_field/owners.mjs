export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  interface Pet {
    name: String!
  }

  type Dog implements Pet {
    name: String!
    barks: Boolean
  }

  type Cat implements Pet {
    name: String!
    lives: Int
  }

  type Owner @key(fields: "id") {
    id: ID!
    pet: Pet
  }

  type Query {
    owners: [Owner!]!
  }
`;

const OWNERS = {
  o1: { id: "o1", pet: { __typename: "Dog", name: "Rex", barks: true } },
  o2: { id: "o2", pet: { __typename: "Cat", name: "Tom", lives: 9 } },
  o3: { id: "o3", pet: null },
};
export const resolvers = {
  Query: { owners: () => Object.values(OWNERS) },
  Pet: { __resolveType: (p) => p.__typename },
  Owner: { __resolveReference: ({ id }) => OWNERS[id] ?? null },
};
