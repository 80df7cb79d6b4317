export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@override", "@shareable"])

  type Item @key(fields: "id") {
    id: ID!
    code: String! @shareable @override(from: "a")
  }
`;

export const resolvers = { Item: { __resolveReference: ({ id }) => ({ id, code: id.replace("i", "C") }) } };
