export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

  type Photo @shareable {
    url: String!
  }

  type Video @shareable {
    url: String!
    length: Int
  }

  union Attachment = Photo | Video

  type Post @key(fields: "id") {
    id: ID!
    attachments: [Attachment!]! @shareable
  }

  type Query {
    posts: [Post!]!
  }
`;

const ATTACHMENTS = { p1: [{ __typename: "Photo", url: "a.png" }, { __typename: "Video", url: "b.mp4", length: 9 }], p2: [] };
export const resolvers = {
  Query: { posts: () => [{ id: "p1" }, { id: "p2" }] },
  Attachment: { __resolveType: (a) => a.__typename },
  Post: {
    __resolveReference: ({ id }) => ({ id }),
    attachments: ({ id }) => ATTACHMENTS[id] ?? [],
  },
};
