export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject", "@external", "@requires"])

  type Vehicle @key(fields: "vin") @interfaceObject {
    vin: ID!
    mileage: Int @external
    make: String! @external
    value: Int @requires(fields: "mileage make")
  }

  type Query {
    appraised: [Vehicle!]!
  }
`;

export const resolvers = {
  Query: { appraised: () => [{ vin: "v2" }, { vin: "v3" }] },
  Vehicle: {
    __resolveReference: (reference) => reference,
    value: ({ mileage, make }) => {
      if (mileage === null) throw new Error("no mileage, no value");
      return Math.max(1000, 20000 - Math.floor(mileage / 10)) + (make === "Ford" ? 500 : 0);
    },
  },
};
