"""What a conversion resolver is given: `info.context.deps` are the service's
dependencies (its clock)."""

from __future__ import annotations

import strawberry

from cbkit.graphql import Context
from services.conversion.service_layer.dependencies import Dependencies

Info = strawberry.Info[Context[Dependencies], None]
