export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Cell @key(fields: "x y") {
    x: Int!
    y: Int!
    color: String!
    shades: [[String!]!]
    glow: Int
  }
`;

export const resolvers = {
  Cell: {
    __resolveReference: ({ x, y }) => (x === 9 ? null : { x, y, color: (x + y) % 2 ? "black" : "white" }),
    shades: ({ x }) => (x === 0 ? [["a", "b"], ["c"]] : null),
    glow: ({ x, y }) => {
      if (x === 1) throw new Error(`cell ${x},${y} cannot glow`);
      return x + y;
    },
  },
};
