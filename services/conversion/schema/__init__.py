"""The conversion subgraph: the module-level `schema`, made of the root fields
(`queries`, `mutations`) and the types they reach (`catalog`, `learners`)."""

from __future__ import annotations

from cbkit.graphql import subgraph_schema
from services.conversion.schema.catalog import Course, Major
from services.conversion.schema.learners import (
    Account,
    AwardedCertificate,
    Conversion,
    ConversionRefusal,
    Outcome,
)
from services.conversion.schema.mutations import Mutation
from services.conversion.schema.queries import Query

schema = subgraph_schema(
    query=Query,
    mutation=Mutation,
    types=[Account, Outcome, Conversion, Course, Major, AwardedCertificate, ConversionRefusal],
)
