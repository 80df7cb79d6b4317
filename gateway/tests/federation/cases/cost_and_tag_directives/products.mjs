export const typeDefs = `
  extend schema @link(
    url: "https://specs.apollo.dev/federation/v2.9"
    import: ["@key", "@tag", "@cost", "@listSize"]
  )

  type Product @key(fields: "id") @tag(name: "public") {
    id: ID!
    name: String @tag(name: "public")
    cost: Int @tag(name: "internal")
    margin: Float @cost(weight: 2)
    secretSauce: String
    weight: Int @cost(weight: 5)
  }

  type Query {
    products(first: Int = 2): [Product!]! @listSize(slicingArguments: ["first"], assumedSize: 10)
  }
`;

const PRODUCTS = [
  { id: "p1", name: "Pen", cost: 1, margin: 0.5, secretSauce: "ink", weight: 10 },
  { id: "p2", name: "Pad", cost: 2, margin: 0.25, secretSauce: "paper", weight: 200 },
  { id: "p3", name: "Cap", cost: 3, margin: 0.1, secretSauce: null, weight: null },
];
export const resolvers = {
  Query: { products: (_, { first }) => PRODUCTS.slice(0, first) },
  Product: { __resolveReference: ({ id }) => PRODUCTS.find((p) => p.id === id) ?? null },
};
