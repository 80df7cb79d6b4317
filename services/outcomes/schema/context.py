"""The request context outcomes' resolvers see: cbkit's, with outcomes' dependencies."""

from __future__ import annotations

import strawberry

from cbkit.graphql import Context
from services.outcomes.service_layer.dependencies import Dependencies

Info = strawberry.Info[Context[Dependencies], None]
