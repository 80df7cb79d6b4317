export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Box @key(fields: "id") {
    id: ID!
    volume: Int
  }

  type Query {
    boxes: [Box!]!
  }
`;

const VOLUMES = { x1: 6, x2: null, x3: 10 };
export const resolvers = {
  Query: { boxes: () => Object.keys(VOLUMES).map((id) => ({ id, volume: VOLUMES[id] })) },
  Box: { __resolveReference: ({ id }) => (id in VOLUMES ? { id, volume: VOLUMES[id] } : null) },
};
