export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

  interface Thing {
    name: String
  }

  type Tool implements Thing @key(fields: "id") {
    id: ID!
    name: String
    code: String! @shareable
  }

  type Toy implements Thing @key(fields: "id") {
    id: ID
    name: String
    code: String @shareable
  }

  union Either = Tool | Toy

  type Query {
    things: [Thing!]!
    either: [Either!]!
  }
`;

const THINGS = [
  { __typename: "Tool", id: "t1", name: "Hammer", code: "H-1" },
  { __typename: "Toy", id: "y1", name: "Kite", code: null },
  { __typename: "Toy", id: "y2", name: "Ball", code: "B-2" },
];
const byId = (id) => THINGS.find((thing) => thing.id === id) ?? null;

export const resolvers = {
  Query: { things: () => THINGS, either: () => THINGS },
  Thing: { __resolveType: (thing) => thing.__typename },
  Either: { __resolveType: (thing) => thing.__typename },
  Tool: { __resolveReference: ({ id }) => byId(id) },
  Toy: { __resolveReference: ({ id }) => byId(id) },
};
