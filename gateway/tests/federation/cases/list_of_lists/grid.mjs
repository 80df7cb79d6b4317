export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Cell @key(fields: "x y") {
    x: Int!
    y: Int!
  }

  type Board {
    rows: [[Cell!]]!
    numbers: [[Int]]
  }

  type Query {
    board: Board!
  }
`;

const cell = (x, y) => ({ x, y });
export const resolvers = {
  Query: {
    board: () => ({
      rows: [[cell(0, 0), cell(1, 0)], null, [cell(0, 2), cell(9, 9)]],
      numbers: [[1, null], [], null],
    }),
  },
};
