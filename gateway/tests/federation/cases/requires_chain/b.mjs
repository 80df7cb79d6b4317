export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])

  type Job @key(fields: "id") {
    id: ID!
    hours: Int @external
    rate: Int @requires(fields: "hours")
  }
`;

export const resolvers = {
  Job: {
    __resolveReference: (reference) => reference,
    rate: ({ hours }) => {
      if (hours === null) throw new Error("no hours, no rate");
      return hours * 50;
    },
  },
};
