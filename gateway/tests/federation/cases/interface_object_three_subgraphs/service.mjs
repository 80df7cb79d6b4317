export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])

  type Vehicle @key(fields: "vin") @interfaceObject {
    vin: ID!
    lastService: String
  }

  type Query {
    dueForService: [Vehicle!]!
  }
`;

const SERVICE = { v1: "2026-01-02", v2: null, v3: "2025-07-30" };
export const resolvers = {
  Query: { dueForService: () => [{ vin: "v3" }, { vin: "v2" }] },
  Vehicle: { __resolveReference: ({ vin }) => (vin in SERVICE ? { vin, lastService: SERVICE[vin] } : null) },
};
