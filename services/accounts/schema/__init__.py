"""The accounts subgraph: GraphQL types and thin resolvers, one module per part of
the graph; `schema` is what the service serves."""

from __future__ import annotations

from cbkit.graphql import subgraph_schema
from services.accounts.schema.accounts import Account
from services.accounts.schema.mutations import Mutation
from services.accounts.schema.queries import Query
from services.accounts.schema.subscription import Subscription

schema = subgraph_schema(query=Query, mutation=Mutation, subscription=Subscription, types=[Account])
