export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])

  type Device @key(fields: "serial") @interfaceObject {
    serial: String!
    expires: String
  }

  type Query {
    expiring: [Device!]!
  }
`;

const EXPIRES = { "SN-1": "2027-01-01", "SN-2": null };
export const resolvers = {
  Query: { expiring: () => ["SN-2", "SN-1"].map((serial) => ({ serial, expires: EXPIRES[serial] })) },
  Device: { __resolveReference: ({ serial }) => (serial in EXPIRES ? { serial, expires: EXPIRES[serial] } : null) },
};
