"""What every notifications resolver receives: the request context with the
service's typed dependencies."""

from __future__ import annotations

import strawberry

from cbkit.graphql import Context
from services.notifications.service_layer.dependencies import Dependencies

Info = strawberry.Info[Context[Dependencies], None]
