export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Shop @key(fields: "id") {
    id: ID!
    city: String
  }

  type Owner @key(fields: "id") {
    id: ID!
    since: Int
  }

  type Query {
    shops: [Shop!]!
  }
`;

const SHOPS = { s1: "Lyon", s2: null };
const SINCE = { w1: 1999, w2: 2020 };
export const resolvers = {
  Query: { shops: () => Object.keys(SHOPS).map((id) => ({ id, city: SHOPS[id] })) },
  Shop: { __resolveReference: ({ id }) => (id in SHOPS ? { id, city: SHOPS[id] } : null) },
  Owner: { __resolveReference: ({ id }) => (id in SINCE ? { id, since: SINCE[id] } : null) },
};
