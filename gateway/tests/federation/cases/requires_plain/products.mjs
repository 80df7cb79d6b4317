export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Parcel @key(fields: "id") {
    id: ID!
    weight: Int
    size: Int!
  }

  type Query {
    parcels: [Parcel!]!
  }
`;

const PARCELS = [{ id: "p1", weight: 2, size: 1 }, { id: "p2", weight: null, size: 3 }, { id: "p3", weight: 40, size: 2 }];
export const resolvers = { Query: { parcels: () => PARCELS }, Parcel: { __resolveReference: ({ id }) => PARCELS.find((p) => p.id === id) ?? null } };
