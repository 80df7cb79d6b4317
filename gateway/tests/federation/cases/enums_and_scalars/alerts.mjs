export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])

  scalar DateTime

  enum Level { LOW MEDIUM HIGH }

  type Event @key(fields: "id") {
    id: ID!
    level: Level! @external
    at: DateTime! @external
    alert: String @requires(fields: "level at")
    escalated: Level
  }
`;

const UP = { LOW: "MEDIUM", MEDIUM: "HIGH", HIGH: "HIGH" };
export const resolvers = {
  Event: {
    __resolveReference: (reference) => reference,
    alert: ({ level, at }) => (level === "LOW" ? null : `${level} at ${at}`),
    escalated: ({ id }) => ({ e1: "MEDIUM", e2: "HIGH", e3: "HIGH" })[id],
  },
};
