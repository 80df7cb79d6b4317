export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

  type Track @key(fields: "id") @key(fields: "isrc") {
    id: ID!
    isrc: String!
    plays: Int @shareable
  }
`;

// b and c answer plays differently: the answer shows which one the plan asked.
const ISRC = { t1: "US-1", t2: "US-2" };
export const resolvers = {
  Track: {
    __resolveReference: (ref) => {
      const id = ref.id ?? Object.keys(ISRC).find((key) => ISRC[key] === ref.isrc);
      return id ? { id, isrc: ISRC[id] } : null;
    },
    plays: ({ id }) => (id === "t1" ? 100 : 200),
  },
};
