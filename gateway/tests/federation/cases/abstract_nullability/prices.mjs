export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

  type Tool @key(fields: "id") {
    id: ID
    code: String @shareable
    price: Int
  }

  type Toy @key(fields: "id") {
    id: ID
    price: Int
  }
`;

const CODES = { t1: "H-1" };
export const resolvers = {
  Tool: { __resolveReference: ({ id }) => ({ id, code: CODES[id], price: 20 }) },
  Toy: { __resolveReference: ({ id }) => ({ id, price: id === "y2" ? 3 : null }) },
};
