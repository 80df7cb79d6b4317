export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  enum Kind { RETAIL ONLINE }

  type Owner @key(fields: "id") {
    id: ID!
    shops: [Shop!]!
  }

  type Shop @key(fields: "owner { id } kind") {
    owner: Owner!
    kind: Kind!
    rating: Float
  }

  type Query {
    best: Shop
  }
`;

const RATING = { "w1:RETAIL": 4.5, "w1:ONLINE": 3, "w2:RETAIL": null };
const shop = (id, kind) => ({ owner: { id }, kind, rating: RATING[`${id}:${kind}`] });
export const resolvers = {
  Query: { best: () => shop("w1", "RETAIL") },
  Owner: { __resolveReference: ({ id }) => ({ id }), shops: ({ id }) => (id === "w1" ? [shop("w1", "RETAIL"), shop("w1", "ONLINE")] : []) },
  Shop: { __resolveReference: ({ owner, kind }) => shop(owner.id, kind) },
};
