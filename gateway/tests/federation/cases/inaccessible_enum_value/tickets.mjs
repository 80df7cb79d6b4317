export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@inaccessible", "@shareable"])

  enum Status {
    OPEN
    CLOSED
    SPAM @inaccessible
  }

  type Ticket @key(fields: "id") {
    id: ID!
    status: Status
    history: [Status!]
    current: Status!
  }

  type Query {
    tickets: [Ticket!]!
    ticket(id: ID!): Ticket
  }
`;

const TICKETS = [
  { id: "t1", status: "OPEN", history: ["OPEN"], current: "OPEN" },
  { id: "t2", status: "SPAM", history: ["OPEN", "SPAM"], current: "CLOSED" },
  { id: "t3", status: "CLOSED", history: ["OPEN", "CLOSED"], current: "SPAM" },
];
const byId = (id) => TICKETS.find((ticket) => ticket.id === id) ?? null;

export const resolvers = {
  Query: { tickets: () => TICKETS, ticket: (_, { id }) => byId(id) },
  Ticket: { __resolveReference: ({ id }) => byId(id) },
};
