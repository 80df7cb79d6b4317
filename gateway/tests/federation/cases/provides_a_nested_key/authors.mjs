export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

  type Author @key(fields: "id") @key(fields: "handle") {
    id: ID!
    handle: String @shareable
    name: String
  }
`;

const AUTHORS = [{ id: "a1", handle: "ada", name: "Ada" }, { id: "a2", handle: "bob", name: "Bob" }];
export const resolvers = {
  Author: { __resolveReference: (ref) => AUTHORS.find((a) => (ref.id ? a.id === ref.id : a.handle === ref.handle)) ?? null },
};
