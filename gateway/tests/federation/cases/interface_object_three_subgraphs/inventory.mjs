export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  interface Vehicle @key(fields: "vin") {
    vin: ID!
    make: String!
  }

  type Car implements Vehicle @key(fields: "vin") {
    vin: ID!
    make: String!
    doors: Int
  }

  type Truck implements Vehicle @key(fields: "vin") {
    vin: ID!
    make: String!
    payload: Int
  }

  type Query {
    vehicles: [Vehicle!]!
  }
`;

const VEHICLES = [
  { __typename: "Car", vin: "v1", make: "Fiat", doors: 3 },
  { __typename: "Truck", vin: "v2", make: "Volvo", payload: 9000 },
  { __typename: "Car", vin: "v3", make: "Kia", doors: 5 },
];
const byVin = (vin) => VEHICLES.find((v) => v.vin === vin) ?? null;
export const resolvers = {
  Query: { vehicles: () => VEHICLES },
  Vehicle: { __resolveReference: ({ vin }) => byVin(vin), __resolveType: (v) => v.__typename },
  Car: { __resolveReference: ({ vin }) => byVin(vin) },
  Truck: { __resolveReference: ({ vin }) => byVin(vin) },
};
