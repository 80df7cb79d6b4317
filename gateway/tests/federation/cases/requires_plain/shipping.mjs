export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])

  type Parcel @key(fields: "id") {
    id: ID!
    weight: Int @external
    size: Int! @external
    cost: Int @requires(fields: "weight size")
  }
`;

export const resolvers = {
  Parcel: {
    __resolveReference: (reference) => reference,
    cost: ({ weight, size }) => {
      if (weight === null) throw new Error("cannot price an unweighed parcel");
      if (weight > 30) return null;
      return weight * size;
    },
  },
};
