"""Root query fields: the catalog, public to read (its pages, its search), and its
history, for admins; checking a verifiable credential, public."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import strawberry
from strawberry.scalars import JSON

from cbkit.paging import Connection, connection, page_request
from services.conversion.domain import access
from services.conversion.domain.catalog import CatalogKind, search_text
from services.conversion.repository import catalog, history
from services.conversion.repository import search as search_repository
from services.conversion.repository.catalog import Listing
from services.conversion.schema.catalog import (
    CertificateProgram,
    ConversionCaps,
    ConversionRule,
    Course,
    CredentialType,
    Major,
)
from services.conversion.schema.context import Info
from services.conversion.schema.credentials import CredentialVerification
from services.conversion.schema.credentials import verify_credential as verify
from services.conversion.schema.search import CatalogChange, CatalogMatch
from services.conversion.service_layer import catalog as catalog_service

R = TypeVar("R")
N = TypeVar("N")

FirstArg = Annotated[int | None, strawberry.argument(description="at most 100")]
IncludeRetired = Annotated[
    bool | None,
    strawberry.argument(description="also entries retired by today (left out by default)"),
]


def _deprecated(connection_name: str) -> str:
    return f"use {connection_name}: it pages"


async def _connection(
    info: Info,
    listing: Listing[R],
    first: int | None,
    after: str | None,
    node: Callable[[R], N],
) -> Connection[N]:
    request = page_request(listing.name, first, after)
    found = await info.context.run(catalog.page_of, listing, request)

    def count() -> Awaitable[int]:
        return info.context.run(catalog.count_of, listing)

    return connection(found, node, count)


def _history_key(code: str | None) -> str | None:
    """An entry's key as the history keeps it: a rule's id, or a code in capitals."""
    if code is None or not code.strip():
        return None
    try:
        return str(uuid.UUID(code.strip()))
    except ValueError:
        return code.strip().upper()


def _code(value: str | None) -> str | None:
    return value.strip().upper() if value and value.strip() else None


@strawberry.type
class Query:
    @strawberry.field(deprecation_reason=_deprecated("majorsConnection"))
    async def majors(self, info: Info) -> list[Major]:
        async with info.context.pool.acquire() as conn:
            return [Major.from_record(m) for m in await catalog.all_majors(conn)]

    @strawberry.field(description="the majors by code")
    async def majors_connection(
        self,
        info: Info,
        first: FirstArg = 20,
        after: str | None = None,
        include_retired: IncludeRetired = False,
    ) -> Connection[Major]:
        today = info.context.deps.clock.today()
        listing = catalog.majors_listing(bool(include_retired), today)
        return await _connection(info, listing, first, after, Major.from_record)

    @strawberry.field(description="the courses by code, of one major or of all")
    async def courses_connection(
        self,
        info: Info,
        first: FirstArg = 20,
        after: str | None = None,
        major_code: str | None = None,
        include_retired: IncludeRetired = False,
    ) -> Connection[Course]:
        today = info.context.deps.clock.today()
        listing = catalog.courses_listing(_code(major_code), bool(include_retired), today)
        return await _connection(info, listing, first, after, Course.from_record)

    @strawberry.field(deprecation_reason=_deprecated("credentialTypesConnection"))
    async def credential_types(self, info: Info) -> list[CredentialType]:
        async with info.context.pool.acquire() as conn:
            found = await catalog.all_credential_types(conn)
        return [CredentialType.from_record(c) for c in found]

    @strawberry.field(description="the credential types by code")
    async def credential_types_connection(
        self,
        info: Info,
        first: FirstArg = 20,
        after: str | None = None,
        include_retired: IncludeRetired = False,
    ) -> Connection[CredentialType]:
        today = info.context.deps.clock.today()
        listing = catalog.credential_types_listing(bool(include_retired), today)
        return await _connection(info, listing, first, after, CredentialType.from_record)

    @strawberry.field(deprecation_reason=_deprecated("conversionRulesConnection"))
    async def conversion_rules(
        self, info: Info, credential_code: str | None = None, major_code: str | None = None
    ) -> list[ConversionRule]:
        async with info.context.pool.acquire() as conn:
            rules = await catalog_service.find_rules(conn, credential_code, major_code)
        return [ConversionRule.from_record(r) for r in rules]

    @strawberry.field(
        description="the rules (their current versions) by id, of a credential and of a"
        " major's courses"
    )
    async def conversion_rules_connection(
        self,
        info: Info,
        first: FirstArg = 20,
        after: str | None = None,
        credential_code: str | None = None,
        major_code: str | None = None,
        include_retired: IncludeRetired = False,
    ) -> Connection[ConversionRule]:
        today = info.context.deps.clock.today()
        listing = catalog.rules_listing(
            _code(credential_code), _code(major_code), bool(include_retired), today
        )
        return await _connection(info, listing, first, after, ConversionRule.from_record)

    @strawberry.field(description="what a credential would earn today, by the rules valid now")
    async def preview_conversion(self, info: Info, credential_code: str) -> list[ConversionRule]:
        today = info.context.deps.clock.today()
        async with info.context.pool.acquire() as conn:
            rules = await catalog_service.preview(conn, credential_code, today)
        return [ConversionRule.from_record(r) for r in rules]

    @strawberry.field(deprecation_reason=_deprecated("certificateProgramsConnection"))
    async def certificate_programs(self, info: Info) -> list[CertificateProgram]:
        async with info.context.pool.acquire() as conn:
            return [CertificateProgram.from_record(p) for p in await catalog.all_programs(conn)]

    @strawberry.field(description="the certificate programmes by code")
    async def certificate_programs_connection(
        self,
        info: Info,
        first: FirstArg = 20,
        after: str | None = None,
        include_retired: IncludeRetired = False,
    ) -> Connection[CertificateProgram]:
        today = info.context.deps.clock.today()
        listing = catalog.programs_listing(bool(include_retired), today)
        return await _connection(info, listing, first, after, CertificateProgram.from_record)

    @strawberry.field
    async def conversion_caps(self, info: Info) -> ConversionCaps:
        async with info.context.pool.acquire() as conn:
            return ConversionCaps(annual_credits=await catalog.annual_cap(conn))

    @strawberry.field(
        description="majors, courses and credential types by Chinese or English words or"
        " codes, best first (retired entries left out)"
    )
    async def search_catalog(
        self, info: Info, text: str, first: FirstArg = 20
    ) -> list[CatalogMatch]:
        words = search_text(text)
        request = page_request("searchCatalog", first, None)
        today = info.context.deps.clock.today()
        found = await info.context.run(search_repository.search, words, today, request.first)
        return [CatalogMatch.from_record(m) for m in found]

    @strawberry.field(description="admins: every change of the catalog, newest first")
    async def catalog_history(
        self,
        info: Info,
        kind: CatalogKind | None = None,
        code: str | None = None,
        first: FirstArg = 20,
        after: str | None = None,
    ) -> Connection[CatalogChange]:
        info.context.require(*access.CATALOG_HISTORIANS)
        key = _history_key(code)
        name = f"catalogHistory:{kind.value if kind else ''}:{key or ''}"
        request = page_request(name, first, after)
        found = await info.context.run(history.changes_page, request, kind, key)

        def count() -> Awaitable[int]:
            return info.context.run(history.count_changes, kind, key)

        return connection(found, CatalogChange.from_record, count)

    @strawberry.field(
        description="anyone, signed in or not: whether a verifiable credential holds (its"
        " eddsa-rdfc-2022 proof, its issuer, its validity dates, its status in this bank's"
        " status lists), who issued it and why not; at most 1 MB of JSON"
    )
    async def verify_credential(
        self,
        info: Info,
        credential: Annotated[
            JSON, strawberry.argument(description="the credential, as JSON (an object)")
        ],
    ) -> CredentialVerification:
        return await verify(info, credential)
