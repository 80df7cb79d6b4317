export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

  interface Subject @key(fields: "id") {
    id: ID!
    title: String
  }

  type Course implements Subject @key(fields: "id") {
    id: ID!
    title: String @shareable
    hours: Int
  }

  type Exam implements Subject @key(fields: "id") {
    id: ID!
    title: String @shareable
  }
`;

const SUBJECTS = [
  { __typename: "Course", id: "c1", title: "Algebra", hours: 30 },
  { __typename: "Exam", id: "e1", title: "Final" },
];
const byId = (id) => SUBJECTS.find((s) => s.id === id) ?? null;
export const resolvers = {
  Subject: { __resolveReference: ({ id }) => byId(id), __resolveType: (s) => s.__typename },
  Course: { __resolveReference: ({ id }) => byId(id) },
  Exam: { __resolveReference: ({ id }) => byId(id) },
};
