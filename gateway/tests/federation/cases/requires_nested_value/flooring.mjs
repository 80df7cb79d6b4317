export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@requires"])

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
    size: Size @external
    area: Float @requires(fields: "size { width depth unit { perMetre } }")
  }
`;

export const resolvers = {
  Room: {
    __resolveReference: (reference) => reference,
    area: ({ size }) => (size ? (size.width * size.depth) / size.unit.perMetre ** 2 : null),
  },
};
