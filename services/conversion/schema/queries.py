"""Root query fields: the catalog, public to read."""

from __future__ import annotations

import strawberry

from services.conversion.repository import catalog
from services.conversion.schema.catalog import (
    CertificateProgram,
    ConversionCaps,
    ConversionRule,
    CredentialType,
    Major,
)
from services.conversion.schema.context import Info
from services.conversion.service_layer import catalog as catalog_service


@strawberry.type
class Query:
    @strawberry.field
    async def majors(self, info: Info) -> list[Major]:
        async with info.context.pool.acquire() as conn:
            return [Major.from_record(m) for m in await catalog.all_majors(conn)]

    @strawberry.field
    async def credential_types(self, info: Info) -> list[CredentialType]:
        async with info.context.pool.acquire() as conn:
            found = await catalog.all_credential_types(conn)
        return [CredentialType.from_record(c) for c in found]

    @strawberry.field
    async def conversion_rules(
        self, info: Info, credential_code: str | None = None, major_code: str | None = None
    ) -> list[ConversionRule]:
        async with info.context.pool.acquire() as conn:
            rules = await catalog_service.find_rules(conn, credential_code, major_code)
        return [ConversionRule.from_record(r) for r in rules]

    @strawberry.field(description="what a credential would earn today, by the rules valid now")
    async def preview_conversion(self, info: Info, credential_code: str) -> list[ConversionRule]:
        today = info.context.deps.clock.today()
        async with info.context.pool.acquire() as conn:
            rules = await catalog_service.preview(conn, credential_code, today)
        return [ConversionRule.from_record(r) for r in rules]

    @strawberry.field
    async def certificate_programs(self, info: Info) -> list[CertificateProgram]:
        async with info.context.pool.acquire() as conn:
            return [CertificateProgram.from_record(p) for p in await catalog.all_programs(conn)]

    @strawberry.field
    async def conversion_caps(self, info: Info) -> ConversionCaps:
        async with info.context.pool.acquire() as conn:
            return ConversionCaps(annual_credits=await catalog.annual_cap(conn))
