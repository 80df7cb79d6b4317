export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

  type Size @shareable {
    width: Int!
    depth: Int!
    unit: Unit
  }

  type Unit @shareable {
    name: String!
    perMetre: Int!
  }

  type Room @key(fields: "id") {
    id: ID!
    size: Size
  }

  type Query {
    rooms: [Room!]!
  }
`;

const ROOMS = [
  { id: "r1", size: { width: 3, depth: 4, unit: { name: "m", perMetre: 1 } } },
  { id: "r2", size: { width: 200, depth: 100, unit: { name: "cm", perMetre: 100 } } },
  { id: "r3", size: null },
];
export const resolvers = {
  Query: { rooms: () => ROOMS },
  Room: { __resolveReference: ({ id }) => ROOMS.find((r) => r.id === id) ?? null },
};
