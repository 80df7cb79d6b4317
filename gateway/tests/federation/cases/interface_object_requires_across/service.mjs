export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])

  type Vehicle @key(fields: "vin") @interfaceObject {
    vin: ID!
    mileage: Int
  }
`;

const MILEAGE = { v1: 12000, v2: 250000, v3: null };
export const resolvers = { Vehicle: { __resolveReference: ({ vin }) => ({ vin, mileage: MILEAGE[vin] ?? null }) } };
