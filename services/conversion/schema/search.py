"""GraphQL of the catalog's search and history: `CatalogMatch` (public, as the
catalog is) and `CatalogChange` (admins only: the root field asks the policy)."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from cbkit.graphql import from_record
from services.conversion.domain.catalog import (
    CatalogAction,
    CatalogKind,
)
from services.conversion.domain.catalog import (
    CatalogChange as CatalogChangeRecord,
)
from services.conversion.domain.catalog import (
    CatalogMatch as CatalogMatchRecord,
)
from services.conversion.repository import catalog
from services.conversion.schema.catalog import Course, CredentialType, Major
from services.conversion.schema.context import Info
from services.conversion.schema.learners import Account

strawberry.enum(CatalogKind, name="CatalogKind")
strawberry.enum(CatalogAction, name="CatalogAction")


@strawberry.type(description="an entry searchCatalog found, best first")
class CatalogMatch:
    kind: CatalogKind
    code: str
    score: float = strawberry.field(
        description="how well it matched: an exact code, then a prefix, then every word"
        " held, then similar words"
    )

    @strawberry.field(description="in the request's language (Accept-Language)")
    async def name(self, info: Info) -> str:
        entry = await self._entry(info)
        return entry.name(info) if entry is not None else self.code

    @strawberry.field
    async def major(self, info: Info) -> Major | None:
        entry = await self._entry(info)
        return entry if isinstance(entry, Major) else None

    @strawberry.field
    async def course(self, info: Info) -> Course | None:
        entry = await self._entry(info)
        return entry if isinstance(entry, Course) else None

    @strawberry.field
    async def credential_type(self, info: Info) -> CredentialType | None:
        entry = await self._entry(info)
        return entry if isinstance(entry, CredentialType) else None

    async def _entry(self, info: Info) -> Major | Course | CredentialType | None:
        if self.kind is CatalogKind.MAJOR:
            major = await info.context.loader("majors", catalog.majors_by_code).load(self.code)
            return Major.from_record(major) if major else None
        if self.kind is CatalogKind.COURSE:
            course = await info.context.loader("courses", catalog.courses_by_code).load(self.code)
            return Course.from_record(course) if course else None
        loader = info.context.loader("credential_types", catalog.credential_types_by_code)
        credential = await loader.load(self.code)
        return CredentialType.from_record(credential) if credential else None

    @classmethod
    def from_record(cls, match: CatalogMatchRecord) -> CatalogMatch:
        return from_record(cls, match)


@strawberry.type(description="one change of the catalog: who made it, when, from what to what")
class CatalogChange:
    id: strawberry.ID
    kind: CatalogKind
    code: str = strawberry.field(description="the entry's code (a rule's id; the caps: CAPS)")
    action: CatalogAction
    changed_at: datetime
    changed_by: Account | None = strawberry.field(
        description="the admin who made it; null for the development seed"
    )
    before: JSON | None = strawberry.field(description="the entry before (null: created)")
    after: JSON | None = strawberry.field(description="the entry after")

    @classmethod
    def from_record(cls, change: CatalogChangeRecord) -> CatalogChange:
        by = Account(id=strawberry.ID(change.changed_by)) if change.changed_by else None
        return from_record(cls, change, id=strawberry.ID(change.id), changed_by=by)
