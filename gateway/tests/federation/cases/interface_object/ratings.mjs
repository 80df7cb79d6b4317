export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])

  type Account @key(fields: "id") @interfaceObject {
    id: ID!
    rating: Int
    ratedBy: [Account!]!
  }

  type Query {
    topRated: [Account!]!
  }
`;

const RATINGS = { u1: 5, o1: 3, u2: null };
const RATED_BY = { u1: ["o1"], o1: ["u1", "u2"], u2: [] };
const account = (id) => (id in RATINGS ? { id } : null);

export const resolvers = {
  Query: { topRated: () => ["u1", "o1", "u2"].map(account) },
  Account: {
    __resolveReference: ({ id }) => account(id),
    rating: ({ id }) => RATINGS[id],
    ratedBy: ({ id }) => RATED_BY[id].map(account),
  },
};
