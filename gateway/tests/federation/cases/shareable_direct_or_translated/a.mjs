export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Track @key(fields: "id") {
    id: ID!
    title: String
  }

  type Query {
    tracks: [Track!]!
  }
`;

export const resolvers = {
  Query: { tracks: () => [{ id: "t1", title: "Blue" }, { id: "t2", title: "Red" }] },
  Track: { __resolveReference: ({ id }) => ({ id, title: id === "t1" ? "Blue" : "Red" }) },
};
