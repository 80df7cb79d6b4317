export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  interface Vehicle @key(fields: "vin") {
    vin: ID!
    make: String!
  }

  type Car implements Vehicle @key(fields: "vin") {
    vin: ID!
    make: String!
  }

  type Van implements Vehicle @key(fields: "vin") {
    vin: ID!
    make: String!
    volume: Int
  }

  type Query {
    vehicles: [Vehicle!]!
  }
`;

const VEHICLES = [
  { __typename: "Car", vin: "v1", make: "Fiat" },
  { __typename: "Van", vin: "v2", make: "Ford", volume: 9 },
  { __typename: "Car", vin: "v3", make: "Kia" },
];
const byVin = (vin) => VEHICLES.find((v) => v.vin === vin) ?? null;
export const resolvers = {
  Query: { vehicles: () => VEHICLES },
  Vehicle: { __resolveReference: ({ vin }) => byVin(vin), __resolveType: (v) => v.__typename },
  Car: { __resolveReference: ({ vin }) => byVin(vin) },
  Van: { __resolveReference: ({ vin }) => byVin(vin) },
};
