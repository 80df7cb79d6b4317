import { GraphQLScalarType, Kind } from "graphql";

export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  scalar DateTime
  scalar JSON

  enum Level { LOW MEDIUM HIGH }

  type Event @key(fields: "id") {
    id: ID!
    at: DateTime!
    level: Level!
    payload: JSON
  }

  type Query {
    events(minLevel: Level, after: DateTime): [Event!]!
  }
`;

const ORDER = ["LOW", "MEDIUM", "HIGH"];
const EVENTS = [
  { id: "e1", at: "2026-01-01T00:00:00Z", level: "LOW", payload: { a: [1, 2], b: null } },
  { id: "e2", at: "2026-02-01T12:30:00Z", level: "HIGH", payload: "text" },
  { id: "e3", at: "2026-03-01T00:00:00Z", level: "MEDIUM", payload: null },
];
const passThrough = (name) =>
  new GraphQLScalarType({
    name,
    serialize: (value) => value,
    parseValue: (value) => value,
    parseLiteral: (ast) => (ast.kind === Kind.STRING ? ast.value : null),
  });
export const resolvers = {
  DateTime: passThrough("DateTime"),
  JSON: passThrough("JSON"),
  Query: {
    events: (_, { minLevel, after }) =>
      EVENTS.filter((e) => (!minLevel || ORDER.indexOf(e.level) >= ORDER.indexOf(minLevel)) && (!after || e.at > after)),
  },
  Event: { __resolveReference: ({ id }) => EVENTS.find((e) => e.id === id) ?? null },
};
