// The same rates subgraph as requires_arguments': only quotes differs.
export { typeDefs, resolvers } from "../requires_arguments/rates.mjs";
