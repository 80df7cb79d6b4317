export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  enum Kind { RETAIL ONLINE }

  type Owner @key(fields: "id") {
    id: ID!
    name: String
  }

  type Shop @key(fields: "owner { id } kind") {
    owner: Owner!
    kind: Kind!
    city: String
  }

  type Query {
    shops: [Shop!]!
  }
`;

const OWNERS = { w1: { id: "w1", name: "Ines" }, w2: { id: "w2", name: "Omar" } };
const SHOPS = [
  { owner: { id: "w1" }, kind: "RETAIL", city: "Lyon" },
  { owner: { id: "w1" }, kind: "ONLINE", city: null },
  { owner: { id: "w2" }, kind: "RETAIL", city: "Nice" },
];
export const resolvers = {
  Query: { shops: () => SHOPS },
  Owner: { __resolveReference: ({ id }) => OWNERS[id] ?? null },
  Shop: {
    __resolveReference: ({ owner, kind }) => SHOPS.find((s) => s.owner.id === owner.id && s.kind === kind) ?? null,
    owner: (shop) => OWNERS[shop.owner.id],
  },
};
