"""Root mutation fields: an admin's edits of the catalog, and revoking a conversion.
Who may call them is the access policy's (domain/access.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Concatenate, ParamSpec, TypeVar

import strawberry

from cbkit.db import Connection
from services.conversion import domain
from services.conversion.domain import access
from services.conversion.domain.catalog import CatalogKind, texts
from services.conversion.schema.catalog import (
    CertificateProgram,
    ConversionCaps,
    ConversionRule,
    Course,
    CredentialType,
    Major,
)
from services.conversion.schema.context import Info
from services.conversion.schema.learners import Conversion
from services.conversion.schema.search import CatalogChange
from services.conversion.service_layer import catalog, conversions

EFFECTIVE = (
    "an edit's new version is in force from this day (by default today, or the current"
    " version's day if later; never before it); a new rule is in force from its validFrom"
)
EnglishName = Annotated[str, strawberry.argument(description="the English name")]
EnglishDescription = Annotated[
    str | None, strawberry.argument(description="the English description")
]
P = ParamSpec("P")
T = TypeVar("T")


async def _edit(
    info: Info,
    use_case: Callable[Concatenate[Connection, domain.Edit, P], Awaitable[T]],
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    """A catalog edit by the caller, now; a caller who may not edit the catalog is
    refused first."""
    editor = info.context.require(*access.CATALOG_EDITORS)
    clock = info.context.deps.clock
    now = clock.now()
    edit = domain.Edit(by=editor.account_id, at=now, today=clock.day_of(now))
    return await info.context.run(use_case, edit, *args, **kwargs)


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def upsert_major(
        self,
        info: Info,
        code: str,
        name: EnglishName,
        credential_credit_cap: Decimal | None = None,
        name_zh: str | None = None,
        description: EnglishDescription = None,
        description_zh: str | None = None,
    ) -> Major:
        more = texts(name_zh, description, description_zh)
        major = await _edit(info, catalog.upsert_major, code, name, credential_credit_cap, more)
        return Major.from_record(major)

    @strawberry.mutation
    async def upsert_course(
        self,
        info: Info,
        code: str,
        name: EnglishName,
        credits: Decimal,
        major_code: str,
        name_zh: str | None = None,
        description: EnglishDescription = None,
        description_zh: str | None = None,
    ) -> Course:
        more = texts(name_zh, description, description_zh)
        course = await _edit(info, catalog.upsert_course, code, name, credits, major_code, more)
        return Course.from_record(course)

    @strawberry.mutation
    async def upsert_credential_type(
        self,
        info: Info,
        code: str,
        name: EnglishName,
        authority: str,
        name_zh: str | None = None,
        description: EnglishDescription = None,
        description_zh: str | None = None,
    ) -> CredentialType:
        more = texts(name_zh, description, description_zh)
        credential = await _edit(info, catalog.upsert_credential_type, code, name, authority, more)
        return CredentialType.from_record(credential)

    @strawberry.mutation
    async def upsert_conversion_rule(
        self,
        info: Info,
        course_code: str,
        credits: Decimal,
        valid_from: date,
        id: strawberry.ID | None = None,
        credential_code: str | None = None,
        outcome_kind: domain.OutcomeKind | None = None,
        min_hours: int | None = None,
        valid_until: date | None = None,
        credit_validity_years: int | None = None,
        allow_partial: bool = False,
        effective_from: Annotated[date | None, strawberry.argument(description=EFFECTIVE)] = None,
    ) -> ConversionRule:
        rule = await _edit(
            info,
            catalog.upsert_rule,
            id=str(id) if id is not None else None,
            credential_code=credential_code,
            outcome_kind=outcome_kind.value if outcome_kind else None,
            min_hours=min_hours,
            course_code=course_code,
            credits=credits,
            valid_from=valid_from,
            valid_until=valid_until,
            credit_validity_years=credit_validity_years,
            allow_partial=allow_partial,
            effective_from=effective_from,
        )
        return ConversionRule.from_record(rule)

    @strawberry.mutation
    async def upsert_certificate_program(
        self,
        info: Info,
        code: str,
        name: EnglishName,
        required_course_codes: list[str],
        min_credits: Decimal | None = None,
        name_zh: str | None = None,
        description: EnglishDescription = None,
        description_zh: str | None = None,
    ) -> CertificateProgram:
        more = texts(name_zh, description, description_zh)
        program = await _edit(
            info, catalog.upsert_program, code, name, required_course_codes, min_credits, more
        )
        return CertificateProgram.from_record(program)

    @strawberry.mutation(description="admin: the annual cap on credits per learner")
    async def set_conversion_caps(self, info: Info, annual_credits: Decimal) -> ConversionCaps:
        annual = await _edit(info, catalog.set_annual_cap, annual_credits)
        return ConversionCaps(annual_credits=annual)

    @strawberry.mutation(
        description="admins: retire a catalog entry from a day on (today or later; a rule"
        " by its id): kept, but from that day it converts nothing and searches and pages"
        " leave it out"
    )
    async def retire_catalog_entry(
        self, info: Info, kind: CatalogKind, code: str, retired_from: date
    ) -> CatalogChange:
        change = await _edit(info, catalog.retire, kind, code, retired_from)
        return CatalogChange.from_record(change)

    @strawberry.mutation
    async def revoke_conversion(self, info: Info, id: strawberry.ID, reason: str) -> Conversion:
        info.context.require(*access.REVOKERS)
        now = info.context.deps.clock.now()
        async with info.context.pool.acquire() as conn:
            revoked = await conversions.revoke_conversion(conn, str(id), reason, now)
        return Conversion.from_record(revoked)
