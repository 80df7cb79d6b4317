export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type User @key(fields: "id") {
    id: ID!
    bio: String
    avatar: Avatar
  }

  type Avatar {
    url: String!
    size: Int
  }
`;

const BIOS = { u1: "Mathematician", u2: null };
export const resolvers = {
  User: { __resolveReference: ({ id }) => ({ id, bio: BIOS[id] ?? null, avatar: id === "u1" ? { url: "a.png", size: 64 } : null }) },
};
