export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Point @key(fields: "id") {
    id: ID!
    square: Int
    next: Point
  }
`;

const number = (id) => Number(id.slice(1));
export const resolvers = {
  Point: {
    // Asynchronous, so that p250's failure fails p250 only, not the whole _entities list.
    __resolveReference: async ({ id }) => {
      if (id === "p250") throw new Error(`point ${id} has no details`);
      return { id };
    },
    square: ({ id }) => number(id) ** 2,
    next: ({ id }) => (number(id) < 300 ? { id: `p${number(id) + 1}` } : null),
  },
};
