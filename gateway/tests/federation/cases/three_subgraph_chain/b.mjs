export const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Country @key(fields: "code") {
    code: ID!
    capital: City
  }

  type City @key(fields: "id") {
    id: ID!
  }
`;

const CAPITALS = { FR: "paris", CN: "beijing" };
export const resolvers = {
  Country: { __resolveReference: ({ code }) => ({ code, capital: CAPITALS[code] ? { id: CAPITALS[code] } : null }) },
};
