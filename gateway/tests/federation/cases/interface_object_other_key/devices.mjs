export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  interface Device @key(fields: "id") @key(fields: "serial") {
    id: ID!
    serial: String!
    model: String
  }

  type Phone implements Device @key(fields: "id") @key(fields: "serial") {
    id: ID!
    serial: String!
    model: String
  }

  type Tablet implements Device @key(fields: "id") @key(fields: "serial") {
    id: ID!
    serial: String!
    model: String
  }

  type Query {
    devices: [Device!]!
  }
`;

const DEVICES = [
  { __typename: "Phone", id: "d1", serial: "SN-1", model: "P1" },
  { __typename: "Tablet", id: "d2", serial: "SN-2", model: "T1" },
];
const find = (ref) => DEVICES.find((d) => (ref.id ? d.id === ref.id : d.serial === ref.serial)) ?? null;
export const resolvers = {
  Query: { devices: () => DEVICES },
  Device: { __resolveReference: find, __resolveType: (d) => d.__typename },
  Phone: { __resolveReference: find },
  Tablet: { __resolveReference: find },
};
