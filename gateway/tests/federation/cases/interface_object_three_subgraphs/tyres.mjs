export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Car @key(fields: "vin") {
    vin: ID!
    tyres: [String!]
  }
`;

export const resolvers = {
  Car: { __resolveReference: ({ vin }) => ({ vin, tyres: vin === "v1" ? ["summer"] : [] }) },
};
