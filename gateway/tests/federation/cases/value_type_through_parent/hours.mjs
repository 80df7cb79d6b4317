export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

  type Store @key(fields: "id") {
    id: ID!
    info: Info @shareable
  }

  type Info @shareable {
    phone: String
    hours: Hours
  }

  type Hours {
    opens: Int!
    closes: Int!
  }
`;

const INFO = { s1: { phone: "111", hours: { opens: 8, closes: 18 } }, s2: null };
export const resolvers = { Store: { __resolveReference: ({ id }) => (id in INFO ? { id, info: INFO[id] } : null) } };
