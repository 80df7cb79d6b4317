export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  interface Vehicle @key(fields: "id") {
    id: ID!
    wheels: Int!
  }

  type Car implements Vehicle @key(fields: "id") {
    id: ID!
    wheels: Int!
    seats: Int
  }

  type Bike implements Vehicle @key(fields: "id") {
    id: ID!
    wheels: Int!
  }

  type Driver {
    name: String!
  }

  union Thing = Car | Bike | Driver

  type Query {
    things: [Thing!]!
  }
`;

const THINGS = [
  { __typename: "Car", id: "c1", wheels: 4, seats: 5 },
  { __typename: "Driver", name: "Ada" },
  { __typename: "Bike", id: "k1", wheels: 2 },
];
const byId = (id) => THINGS.find((t) => t.id === id) ?? null;
export const resolvers = {
  Query: { things: () => THINGS },
  Thing: { __resolveType: (t) => t.__typename },
  Vehicle: { __resolveReference: ({ id }) => byId(id), __resolveType: (t) => t.__typename },
  Car: { __resolveReference: ({ id }) => byId(id) },
  Bike: { __resolveReference: ({ id }) => byId(id) },
};
