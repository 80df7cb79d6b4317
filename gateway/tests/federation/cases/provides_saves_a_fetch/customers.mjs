export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

  type Customer @key(fields: "id") {
    id: ID!
    name: String @shareable
    vip: Boolean
  }
`;

// c1 is known here under another name and fails: a needless _entities fetch shows.
const CUSTOMERS = { c2: { id: "c2", name: "Cy", vip: false } };
export const resolvers = {
  Customer: {
    __resolveReference: ({ id }) => {
      if (id === "c1") throw new Error("customers was asked for c1");
      return CUSTOMERS[id] ?? null;
    },
  },
};
