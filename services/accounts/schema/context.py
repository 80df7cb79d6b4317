"""What every accounts resolver is given: `info.context.deps` holds the service's
dependencies (tokens, the credit feed, the clock), `info.context.pool` its database."""

from __future__ import annotations

import strawberry

from cbkit.graphql import Context
from services.accounts.service_layer.dependencies import Dependencies

Info = strawberry.Info[Context[Dependencies], None]
