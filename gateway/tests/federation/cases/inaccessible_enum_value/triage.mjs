export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

  enum Status {
    OPEN
    CLOSED
    SPAM
  }

  type Ticket @key(fields: "id") {
    id: ID!
    suggested: Status
  }
`;

const SUGGESTED = { t1: "CLOSED", t2: "SPAM", t3: "OPEN" };
export const resolvers = {
  Ticket: { __resolveReference: ({ id }) => ({ id, suggested: SUGGESTED[id] }) },
};
