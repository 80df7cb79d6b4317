export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])

  type Box @key(fields: "id") {
    id: ID!
    volume: Int @external
    weight: Int @external
    density: Float @requires(fields: "volume weight")
    cheap: Boolean @requires(fields: "weight")
  }
`;

export const resolvers = {
  Box: {
    __resolveReference: (reference) => reference,
    density: ({ volume, weight }) => {
      if (volume === null) throw new Error("no volume, no density");
      return weight / volume;
    },
    cheap: ({ weight }) => weight < 10,
  },
};
