export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])

  type Job @key(fields: "id") {
    id: ID!
    hours: Int
    rate: Int @external
    invoice: String @requires(fields: "rate")
  }

  type Query {
    jobs: [Job!]!
  }
`;

const HOURS = { j1: 3, j2: 0, j3: null };
export const resolvers = {
  Query: { jobs: () => Object.keys(HOURS).map((id) => ({ id, hours: HOURS[id] })) },
  Job: {
    __resolveReference: ({ id, rate }) => (id in HOURS ? { id, hours: HOURS[id], rate } : null),
    invoice: ({ id, rate }) => (rate === null ? null : `${id}: ${rate} due`),
  },
};
