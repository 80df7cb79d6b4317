"""The conversion subgraph: root fields (thin resolvers) and the module-level `schema`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import strawberry
from strawberry.types import Info

from cbkit.auth import Role
from cbkit.graphql import Context, subgraph_extensions
from services.conversion import service_layer
from services.conversion.repository import catalog
from services.conversion.schema.types import (
    Account,
    AwardedCertificate,
    CertificateProgram,
    Conversion,
    ConversionCaps,
    ConversionRefusal,
    ConversionRule,
    Course,
    CredentialType,
    Major,
    Outcome,
    OutcomeKind,
)


def _today() -> date:
    return datetime.now(UTC).date()


@strawberry.type
class Query:
    @strawberry.field
    async def majors(self, info: Info[Context, None]) -> list[Major]:
        async with info.context.pool.acquire() as conn:
            return [Major.of(m) for m in await catalog.all_majors(conn)]

    @strawberry.field
    async def credential_types(self, info: Info[Context, None]) -> list[CredentialType]:
        async with info.context.pool.acquire() as conn:
            found = await catalog.all_credential_types(conn)
        return [CredentialType(code=c.code, name=c.name, authority=c.authority) for c in found]

    @strawberry.field
    async def conversion_rules(
        self,
        info: Info[Context, None],
        credential_code: str | None = None,
        major_code: str | None = None,
    ) -> list[ConversionRule]:
        credential = credential_code.strip().upper() if credential_code else None
        major = major_code.strip().upper() if major_code else None
        async with info.context.pool.acquire() as conn:
            return [ConversionRule.of(r) for r in await catalog.find_rules(conn, credential, major)]

    @strawberry.field(description="what a credential would earn today, by the rules valid now")
    async def preview_conversion(
        self, info: Info[Context, None], credential_code: str
    ) -> list[ConversionRule]:
        async with info.context.pool.acquire() as conn:
            rules = await service_layer.preview(conn, credential_code, _today())
        return [ConversionRule.of(r) for r in rules]

    @strawberry.field
    async def certificate_programs(self, info: Info[Context, None]) -> list[CertificateProgram]:
        async with info.context.pool.acquire() as conn:
            return [CertificateProgram.of(p) for p in await catalog.all_programs(conn)]

    @strawberry.field
    async def conversion_caps(self, info: Info[Context, None]) -> ConversionCaps:
        async with info.context.pool.acquire() as conn:
            return ConversionCaps(annual_credits=await catalog.annual_cap(conn))


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def upsert_major(
        self,
        info: Info[Context, None],
        code: str,
        name: str,
        credential_credit_cap: Decimal | None = None,
    ) -> Major:
        info.context.require(Role.ADMIN)
        async with info.context.pool.acquire() as conn:
            return Major.of(
                await service_layer.upsert_major(conn, code, name, credential_credit_cap)
            )

    @strawberry.mutation
    async def upsert_course(
        self, info: Info[Context, None], code: str, name: str, credits: Decimal, major_code: str
    ) -> Course:
        info.context.require(Role.ADMIN)
        async with info.context.pool.acquire() as conn:
            return Course.of(
                await service_layer.upsert_course(conn, code, name, credits, major_code)
            )

    @strawberry.mutation
    async def upsert_credential_type(
        self, info: Info[Context, None], code: str, name: str, authority: str
    ) -> CredentialType:
        info.context.require(Role.ADMIN)
        async with info.context.pool.acquire() as conn:
            c = await service_layer.upsert_credential_type(conn, code, name, authority)
        return CredentialType(code=c.code, name=c.name, authority=c.authority)

    @strawberry.mutation
    async def upsert_conversion_rule(
        self,
        info: Info[Context, None],
        course_code: str,
        credits: Decimal,
        valid_from: date,
        id: strawberry.ID | None = None,
        credential_code: str | None = None,
        outcome_kind: OutcomeKind | None = None,
        min_hours: int | None = None,
        valid_until: date | None = None,
        credit_validity_years: int | None = None,
        allow_partial: bool = False,
    ) -> ConversionRule:
        info.context.require(Role.ADMIN)
        async with info.context.pool.acquire() as conn:
            rule = await service_layer.upsert_rule(
                conn,
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
            )
        return ConversionRule.of(rule)

    @strawberry.mutation
    async def upsert_certificate_program(
        self,
        info: Info[Context, None],
        code: str,
        name: str,
        required_course_codes: list[str],
        min_credits: Decimal | None = None,
    ) -> CertificateProgram:
        info.context.require(Role.ADMIN)
        async with info.context.pool.acquire() as conn:
            program = await service_layer.upsert_program(
                conn, code, name, required_course_codes, min_credits
            )
        return CertificateProgram.of(program)

    @strawberry.mutation(description="admin: the annual cap on credits per learner")
    async def set_conversion_caps(
        self, info: Info[Context, None], annual_credits: Decimal
    ) -> ConversionCaps:
        info.context.require(Role.ADMIN)
        async with info.context.pool.acquire() as conn:
            return ConversionCaps(
                annual_credits=await service_layer.set_annual_cap(conn, annual_credits)
            )

    @strawberry.mutation
    async def revoke_conversion(
        self, info: Info[Context, None], id: strawberry.ID, reason: str
    ) -> Conversion:
        info.context.require(Role.ADMIN)
        async with info.context.pool.acquire() as conn:
            return Conversion.of(await service_layer.revoke_conversion(conn, str(id), reason))


schema = strawberry.federation.Schema(
    query=Query,
    mutation=Mutation,
    types=[Account, Outcome, Conversion, Course, Major, AwardedCertificate, ConversionRefusal],
    extensions=subgraph_extensions(),
)
