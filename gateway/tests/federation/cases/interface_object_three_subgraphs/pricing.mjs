export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])

  type Vehicle @key(fields: "vin") @interfaceObject {
    vin: ID!
    price: Int
  }

  type Query {
    cheapest: Vehicle
  }
`;

const PRICES = { v1: 9000, v2: 80000, v3: 15000 };
export const resolvers = {
  Query: { cheapest: () => ({ vin: "v1" }) },
  Vehicle: { __resolveReference: ({ vin }) => (vin in PRICES ? { vin, price: PRICES[vin] } : null) },
};
