"""A hand-written supergraph (join v0.5) using every join directive the gateway supports."""

from __future__ import annotations

HEADER = """
schema
  @link(url: "https://specs.apollo.dev/link/v1.0")
  @link(url: "https://specs.apollo.dev/join/v0.5", for: EXECUTION)
  @link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY)
{
  query: Query
  mutation: Mutation
}

directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION \
| SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION
directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE
directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, \
type: String, external: Boolean, override: String, usedOverridden: Boolean, \
overrideLabel: String, contextArguments: [join__ContextArgument!]) repeatable on \
FIELD_DEFINITION | INPUT_FIELD_DEFINITION
directive @join__graph(name: String!, url: String!) on ENUM_VALUE
directive @join__implements(graph: join__Graph!, interface: String!) repeatable on OBJECT \
| INTERFACE
directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, \
resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT \
| INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR
directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION
directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) \
repeatable on SCHEMA

input join__ContextArgument { name: String! type: String! context: String! \
selection: join__FieldValue! }
scalar join__FieldSet
scalar join__FieldValue
scalar link__Import
enum link__Purpose { SECURITY EXECUTION }

enum join__Graph {
  A @join__graph(name: "a", url: "http://a.example/graphql")
  B @join__graph(name: "b", url: "http://b.example/graphql")
  C @join__graph(name: "c", url: "http://c.example/graphql")
}
"""

TYPES = """
type Query @join__type(graph: A) @join__type(graph: B) @join__type(graph: C) {
  account(id: ID!): Account @join__field(graph: A)
  accounts: [Account!]! @join__field(graph: A)
  seat(row: Int!, number: Int!): Seat @join__field(graph: B)
  stuff: [Stuff!]! @join__field(graph: B)
  nodes: [Node!]! @join__field(graph: B)
  topSeat: Seat @join__field(graph: C)
  secret: String @inaccessible @join__field(graph: A)
}

type Mutation @join__type(graph: A) @join__type(graph: B) {
  open(name: String!): Account! @join__field(graph: A)
  book(row: Int!): Seat! @join__field(graph: B)
  close(id: ID!): Boolean! @join__field(graph: A)
}

type Account
  @join__type(graph: A, key: "id")
  @join__type(graph: B, key: "id")
  @join__type(graph: C, key: "id", resolvable: false)
{
  id: ID!
  name: String! @join__field(graph: A) @join__field(graph: B, external: true)
  region: Region! @join__field(graph: A)
  greeting: String! @join__field(graph: B, requires: "name")
  seats: [Seat!]! @join__field(graph: B)
  level: Int @join__field(graph: A, usedOverridden: true) @join__field(graph: B, override: "a")
  label: String @join__field(graph: A) @join__field(graph: B)
  hidden: String @inaccessible @join__field(graph: A)
}

type Seat
  @join__type(graph: B, key: "row number")
  @join__type(graph: C, key: "row number")
{
  row: Int!
  number: Int!
  holder: Account @join__field(graph: B, provides: "name")
  price: Float @join__field(graph: C)
}

interface Node @join__type(graph: B) { id: ID! }

type Plain implements Node @join__implements(graph: B, interface: "Node") @join__type(graph: B) {
  id: ID!
  text: String
}

union Stuff @join__type(graph: B) @join__unionMember(graph: B, member: "Seat") \
@join__unionMember(graph: B, member: "Plain") = Seat | Plain

enum Region @join__type(graph: A) {
  EU @join__enumValue(graph: A)
  US @join__enumValue(graph: A)
  MOON @inaccessible @join__enumValue(graph: A)
}
"""

SUPERGRAPH = HEADER + TYPES
