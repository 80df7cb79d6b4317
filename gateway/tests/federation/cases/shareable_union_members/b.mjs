export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

  type Photo @shareable {
    url: String!
  }

  type Audio {
    url: String!
    kbps: Int
  }

  union Attachment = Photo | Audio

  type Post @key(fields: "id") {
    id: ID!
    title: String
    attachments: [Attachment!]! @shareable
  }

  type Query {
    latest: Post
  }
`;

const ATTACHMENTS = { p1: [{ __typename: "Photo", url: "a.png" }, { __typename: "Audio", url: "c.ogg", kbps: 128 }], p2: [] };
export const resolvers = {
  Query: { latest: () => ({ id: "p1" }) },
  Attachment: { __resolveType: (a) => a.__typename },
  Post: {
    __resolveReference: ({ id }) => ({ id }),
    title: ({ id }) => (id === "p1" ? "Holiday" : null),
    attachments: ({ id }) => ATTACHMENTS[id] ?? [],
  },
};
