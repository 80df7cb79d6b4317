"""GraphQL types of the catalog: majors, courses, credential types, rules,
programmes and caps; public to read. Fields resolve in batches per request."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Protocol, Self, TypeVar

import strawberry

from cbkit.db import Connection
from cbkit.graphql import from_record
from cbkit.i18n import Text
from services.conversion import domain
from services.conversion.repository import catalog
from services.conversion.schema.context import Info

strawberry.enum(domain.OutcomeKind, name="OutcomeKind")

RETIRED = "from this day on the entry is retired: kept, but converts and offers nothing new"

R = TypeVar("R")


async def referenced(
    info: Info,
    loader: str,
    fetch: Callable[[Connection, list[str]], Awaitable[Sequence[R | None]]],
    key: str,
) -> R:
    """The record another one refers to by `key` (so it exists), fetched in the
    request's batch of the DataLoader named `loader`."""
    found = await info.context.loader(loader, fetch).load(key)
    assert found is not None
    return found


@strawberry.type
class Named:
    """Bilingual names and descriptions: `name` and `description` in the request's
    language (the other when that one is missing)."""

    name_en: str | None = strawberry.field(description="the English name")
    name_zh: str | None = strawberry.field(description="the Chinese name")
    description_en: str | None
    description_zh: str | None

    @strawberry.field(description="in the request's language (Accept-Language)")
    def name(self, info: Info) -> str:
        return Text(self.name_zh, self.name_en)(info.context.language)

    @strawberry.field(description="in the request's language (Accept-Language)")
    def description(self, info: Info) -> str | None:
        text = Text.optional(self.description_zh, self.description_en)
        return text(info.context.language) if text else None

    @classmethod
    def from_record(cls, record: Bilingual) -> Self:
        """The catalog entry `record` (a major, course, credential type or programme)."""
        return from_record(cls, record, **names(record))


class Bilingual(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def name_zh(self) -> str | None: ...
    @property
    def description_en(self) -> str | None: ...
    @property
    def description_zh(self) -> str | None: ...


def names(record: Bilingual) -> dict[str, Any]:
    """The bilingual fields of a catalog record (whose `name` is the English one)."""
    return {
        "name_en": record.name,
        "name_zh": record.name_zh,
        "description_en": record.description_en,
        "description_zh": record.description_zh,
    }


@strawberry.federation.type(keys=["code"])
class Major(Named):
    code: str
    retired_from: date | None = strawberry.field(description=RETIRED)
    credential_credit_cap: Decimal | None = strawberry.field(
        description="most credits a learner may gain in this major from credentials"
    )

    @strawberry.field
    async def courses(self, info: Info) -> list[Course]:
        loader = info.context.loader("courses_by_major", catalog.courses_by_major)
        return [Course.from_record(c) for c in await loader.load(self.code)]

    @classmethod
    async def resolve_reference(cls, info: Info, code: str) -> Major | None:
        found = await info.context.loader("majors", catalog.majors_by_code).load(code)
        return cls.from_record(found) if found else None


@strawberry.federation.type(keys=["code"])
class Course(Named):
    code: str
    credits: Decimal
    retired_from: date | None = strawberry.field(description=RETIRED)
    major_code: strawberry.Private[str]

    @strawberry.field
    async def major(self, info: Info) -> Major:
        return Major.from_record(
            await referenced(info, "majors", catalog.majors_by_code, self.major_code)
        )

    @classmethod
    async def resolve_reference(cls, info: Info, code: str) -> Course | None:
        found = await info.context.loader("courses", catalog.courses_by_code).load(code)
        return cls.from_record(found) if found else None


async def load_course(info: Info, code: str) -> Course:
    """A course that a rule, conversion or refusal refers to (so it exists)."""
    return Course.from_record(await referenced(info, "courses", catalog.courses_by_code, code))


@strawberry.type
class CredentialType(Named):
    code: str
    authority: str
    retired_from: date | None = strawberry.field(description=RETIRED)


@strawberry.type
class ConversionRule:
    id: strawberry.ID
    credential_code: str | None
    outcome_kind: domain.OutcomeKind | None
    min_hours: int | None
    credits: Decimal
    valid_from: date
    valid_until: date | None
    credit_validity_years: int | None
    allow_partial: bool = strawberry.field(
        description="when a cap leaves less room than the rule gives, grant what is left"
    )
    version: int = strawberry.field(description="1 when created; each edit makes the next")
    effective_from: date = strawberry.field(
        description="the day this version is in force from (until the next version's):"
        " conversions decided from then on use it"
    )
    retired_from: date | None = strawberry.field(
        description="the rule's: from this day on it converts nothing"
    )
    course_code: strawberry.Private[str]

    @strawberry.field
    async def course(self, info: Info) -> Course:
        return await load_course(info, self.course_code)

    @strawberry.field(description="every version of the rule, oldest first")
    async def versions(self, info: Info) -> list[ConversionRule]:
        loader = info.context.loader("rule_versions_of", catalog.versions_of)
        return [ConversionRule.from_record(r) for r in await loader.load(str(self.id))]

    @classmethod
    def from_record(cls, rule: domain.Rule) -> ConversionRule:
        kind = domain.OutcomeKind(rule.outcome_kind) if rule.outcome_kind else None
        return from_record(cls, rule, outcome_kind=kind)


@strawberry.type
class CertificateProgram(Named):
    code: str
    min_credits: Decimal | None
    retired_from: date | None = strawberry.field(description=RETIRED)
    required_course_codes: strawberry.Private[tuple[str, ...]]

    @strawberry.field
    async def required_courses(self, info: Info) -> list[Course]:
        loader = info.context.loader("courses", catalog.courses_by_code)
        found = await loader.load_many(list(self.required_course_codes))
        return [Course.from_record(c) for c in found if c is not None]


@strawberry.type
class ConversionCaps:
    annual_credits: Decimal = strawberry.field(
        description="most credits a learner may gain per calendar year"
    )
