"""GraphQL types of what a learner was credited: conversions, refusals and
certificates, on the learner's account and outcomes, and the signed credentials that
carry them (a certificate's Open Badge, the transcript's CLR). Every way in (a field
of `Account` or `Outcome`, a `Conversion` by its key) asks the access policy
(domain/access.py) first; what it leads to was read under that answer. A learner who
closed the account has nothing left to read but for admins: lists are empty, a
conversion by its key is not found and no credential is given."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

import strawberry
from strawberry.scalars import JSON

from cbkit.db import Connection
from cbkit.errors import NotFound
from cbkit.graphql import from_record
from cbkit.i18n import Text
from cbkit.paging import Connection as Page
from cbkit.paging import Page as Found
from cbkit.paging import connection, page_request
from services.conversion import domain
from services.conversion.domain import access
from services.conversion.domain.credentials import IssuedCredential
from services.conversion.domain.explanations import explain_grant, kind_source
from services.conversion.repository import catalog, certificates, conversions
from services.conversion.repository.rows import LearnerRows, count_newest, newest_page
from services.conversion.schema.catalog import (
    CertificateProgram,
    ConversionRule,
    Course,
    load_course,
    referenced,
)
from services.conversion.schema.context import Info
from services.conversion.schema.sight import learner_of_outcome, require_sight
from services.conversion.service_layer import credentials

strawberry.enum(domain.ConversionStatus, name="ConversionStatus")

T = TypeVar("T")
N = TypeVar("N")
FIRST = "how many to return (0 to 100)"
AFTER = "the endCursor of the page before (none: from the newest)"
STATUS = "only the conversions of this status"
First = Annotated[int | None, strawberry.argument(description=FIRST)]
After = Annotated[str | None, strawberry.argument(description=AFTER)]


async def _nothing() -> int:
    return 0


def _empty(node: Callable[[T], N]) -> Page[N]:
    """The connection of a list with nothing to read."""
    return connection(Found(items=[], cursors=[], has_next=False), node, _nothing)


@dataclass(frozen=True)
class _LearnerList(Generic[T, N]):
    """One of the learner's lists: refused to whom may not read `what` of the learner,
    empty once the learner closed the account; its records shown as `node`s."""

    what: Text
    rows: LearnerRows[T]
    node: Callable[[T], N]


async def _learner_page(
    info: Info,
    learner_id: strawberry.ID,
    first: int | None,
    after: str | None,
    listed: _LearnerList[T, N],
    **equal: Any,
) -> Page[N]:
    """A page of the learner's list `listed` (filtered by `equal`), named in its
    cursors after the field that pages it (`Account.conversionsConnection`); its count
    runs only if asked for."""
    learner = str(learner_id)
    if not await require_sight(info, learner, listed.what):
        return _empty(listed.node)
    request = page_request(f"{info.path.typename}.{info.field_name}", first, after)
    found = await info.context.run(newest_page, listed.rows, learner, request, **equal)

    async def total() -> int:
        return await info.context.run(count_newest, listed.rows, learner, **equal)

    return connection(found, listed.node, total)


async def _whole_list(
    info: Info,
    learner_id: strawberry.ID,
    listed: _LearnerList[T, N],
    fetch: Callable[[Connection, list[str]], Awaitable[list[list[T]]]],
) -> list[N]:
    """The learner's list `listed` at once (the deprecated fields), oldest first, by
    the request's DataLoader named after `fetch`; empty to whom may not read it."""
    learner = str(learner_id)
    if not await require_sight(info, learner, listed.what):
        return []
    loader = info.context.loader(fetch.__name__, fetch)
    return [listed.node(r) for r in await loader.load(learner)]


def names(record: domain.Course | domain.CredentialType) -> Text:
    """A catalog entry's name in both languages (`name` is the English one)."""
    return Text(record.name_zh, record.name)


async def _rule_version(info: Info, rule_id: str, version: int) -> domain.Rule:
    """The version of a rule a conversion or refusal was decided under (so it exists)."""
    loader = info.context.loader("rule_versions", catalog.rule_versions)
    found = await loader.load((rule_id, version))
    assert found is not None
    return found


@strawberry.federation.type(keys=["id"])
class Account:
    """A learner's account, extended by its key (built from the key by default)."""

    id: strawberry.ID

    @strawberry.field(
        description="every credit the learner got: which result and rule",
        deprecation_reason="use conversionsConnection: it pages",
    )
    async def conversions(self, info: Info) -> list[Conversion]:
        return await _whole_list(info, self.id, _CONVERSIONS, conversions.conversions_by_learner)

    @strawberry.field(description="every credit the learner got, newest first, a page at a time")
    async def conversions_connection(
        self,
        info: Info,
        first: First = 20,
        after: After = None,
        status: Annotated[
            domain.ConversionStatus | None, strawberry.argument(description=STATUS)
        ] = None,
    ) -> Page[Conversion]:
        status_value = status.value if status else None
        return await _learner_page(info, self.id, first, after, _CONVERSIONS, status=status_value)

    @strawberry.field(deprecation_reason="use certificatesConnection: it pages")
    async def certificates(self, info: Info) -> list[AwardedCertificate]:
        return await _whole_list(info, self.id, _AWARDS, certificates.awards_by_learner)

    @strawberry.field(description="the learner's programme certificates, newest first")
    async def certificates_connection(
        self, info: Info, first: First = 20, after: After = None
    ) -> Page[AwardedCertificate]:
        return await _learner_page(info, self.id, first, after, _AWARDS)

    @strawberry.field(
        description="why the learner's certified results gave nothing (or less), across"
        " results, newest first"
    )
    async def conversion_refusals(
        self, info: Info, first: First = 20, after: After = None
    ) -> Page[ConversionRefusal]:
        return await _learner_page(info, self.id, first, after, _REFUSALS)

    @strawberry.field(
        description="the learner's transcript as a signed Comprehensive Learner Record 2.0"
        " credential (ClrCredential, eddsa-rdfc-2022): every certified result, every"
        " conversion not revoked and every certificate not flagged; the same document"
        " until one of them changes"
    )
    async def transcript_credential(self, info: Info) -> JSON:
        learner = str(self.id)
        await _require_credential_sight(info, learner, access.TRANSCRIPT)
        deps = info.context.deps
        issued = await info.context.run(credentials.transcript_credential, learner, deps)
        return _parsed(issued.document)


@strawberry.federation.type(keys=["id"])
class Outcome:
    """A learning outcome, extended by its key (built from the key by default)."""

    id: strawberry.ID

    async def _require_sight(self, info: Info, what: Text) -> bool:
        return await require_sight(info, await learner_of_outcome(info, str(self.id)), what)

    @strawberry.field
    async def conversions(self, info: Info) -> list[Conversion]:
        if not await self._require_sight(info, access.CONVERSIONS):
            return []
        loader = info.context.loader("conversions_by_outcome", conversions.conversions_by_outcome)
        return [Conversion.from_record(c) for c in await loader.load(str(self.id))]

    @strawberry.field(
        description="why the result gave nothing (or less): for each course its rules"
        " reached, or for none (no rule)"
    )
    async def conversion_refusals(self, info: Info) -> list[ConversionRefusal]:
        if not await self._require_sight(info, access.REFUSALS):
            return []
        loader = info.context.loader("declined_by_outcome", conversions.declined_by_outcome)
        return [ConversionRefusal.from_record(d) for d in await loader.load(str(self.id))]


@strawberry.federation.type(keys=["id"])
class Conversion:
    id: strawberry.ID
    outcome: Outcome
    learner: Account
    credits: Decimal
    status: domain.ConversionStatus
    converted_at: datetime
    expires_on: date | None
    rule_version: int = strawberry.field(
        description="the version of the rule the credits were granted under"
    )
    course_code: strawberry.Private[str]
    rule_id: strawberry.Private[str]

    @strawberry.field
    async def course(self, info: Info) -> Course:
        return await load_course(info, self.course_code)

    @strawberry.field(
        description="the rule as it was when the credits were granted (its version"
        " ruleVersion), never a later edit"
    )
    async def rule(self, info: Info) -> ConversionRule:
        return ConversionRule.from_record(
            await _rule_version(info, self.rule_id, self.rule_version)
        )

    @strawberry.field(
        description="why the conversion holds, in the request's language: what converts to"
        " which course, for how many credits, by which rule version"
    )
    async def explanation(self, info: Info) -> str:
        rule = await _rule_version(info, self.rule_id, self.rule_version)
        course = await referenced(info, "courses", catalog.courses_by_code, self.course_code)
        if rule.credential_code is not None:
            loader = info.context.loader("credential_types", catalog.credential_types_by_code)
            credential = await loader.load(rule.credential_code)
            code = rule.credential_code
            source = names(credential) if credential else Text(code, code)
        else:
            source = kind_source(rule.outcome_kind or "OTHER")
        language = info.context.language
        return explain_grant(source, names(course), self.credits, self.rule_version, language)

    @classmethod
    def from_record(cls, c: domain.Conversion) -> Conversion:
        outcome = Outcome(id=strawberry.ID(c.outcome_id))
        return from_record(cls, c, outcome=outcome, learner=Account(id=strawberry.ID(c.learner_id)))

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Conversion | None:
        loader = info.context.loader("conversions", conversions.conversions_by_id)
        found = await loader.load(str(id))
        shown = await require_sight(info, found.learner_id if found else None, access.CONVERSIONS)
        return cls.from_record(found) if found and shown else None


@strawberry.type(
    description="Why a certified result gave nothing (or less) for a course, or for any"
)
class ConversionRefusal:
    outcome: Outcome
    code: str = strawberry.field(
        description="why, as a stable code: NO_RULE, BELOW_MIN_HOURS, NOT_VALID_ON, RETIRED,"
        " ALREADY_CREDITED, ANNUAL_CAP, MAJOR_CAP, PARTIAL (OTHER: an old reason)"
    )
    at: datetime
    course_code: strawberry.Private[str | None]
    rule_id: strawberry.Private[str | None]
    rule_version: strawberry.Private[int | None]
    record: strawberry.Private[domain.Declined]

    @strawberry.field(description="why, in the request's language")
    def reason(self, info: Info) -> str:
        return self.record.reason(info.context.language)

    @strawberry.field(description="the course the result reached (none: it reached none)")
    async def course(self, info: Info) -> Course | None:
        if self.course_code is None:
            return None
        return await load_course(info, self.course_code)

    @strawberry.field(description="the version of the rule that was applied, if one was")
    async def rule(self, info: Info) -> ConversionRule | None:
        if self.rule_id is None:
            return None
        loader = info.context.loader("rule_versions", catalog.rule_versions)
        found = await loader.load((self.rule_id, self.rule_version or 1))  # old rows: 1
        return ConversionRule.from_record(found) if found else None

    @classmethod
    def from_record(cls, declined: domain.Declined) -> ConversionRefusal:
        return from_record(
            cls,
            declined,
            outcome=Outcome(id=strawberry.ID(declined.outcome_id)),
            code=declined.code.value,
            record=declined,
        )


@strawberry.type
class AwardedCertificate:
    serial: str
    learner: Account
    awarded_at: datetime
    flagged: bool = strawberry.field(
        description="a conversion it rested on was revoked: the requirement no longer holds"
    )
    flag_reason: str | None
    program_code: strawberry.Private[str]
    learner_id: strawberry.Private[str]

    @strawberry.field
    async def program(self, info: Info) -> CertificateProgram:
        found = await referenced(info, "programs", catalog.programs_by_code, self.program_code)
        return CertificateProgram.from_record(found)

    async def _issued(self, info: Info) -> IssuedCredential:
        await _require_credential_sight(info, self.learner_id, access.CERTIFICATE_CREDENTIALS)
        deps = info.context.deps
        return await info.context.run(credentials.certificate_credential, self.serial, deps)

    @strawberry.field(
        description="the certificate as a signed Open Badges 3.0 credential"
        " (OpenBadgeCredential, eddsa-rdfc-2022), issued on first request and the same"
        " document ever after; revoked (its status list bit set) once flagged"
    )
    async def credential(self, info: Info) -> JSON:
        return _parsed((await self._issued(info)).document)

    @strawberry.field(
        description="the public share link of the certificate's credential (anyone may"
        " read it there, no sign-in), issuing the credential if need be"
    )
    async def credential_url(self, info: Info) -> str:
        return credentials.certificate_url(info.context.deps, await self._issued(info))

    @classmethod
    def from_record(cls, award: domain.Award) -> AwardedCertificate:
        learner = Account(id=strawberry.ID(award.learner_id))
        return from_record(cls, award, learner=learner, flagged=award.flagged_at is not None)


async def _require_credential_sight(info: Info, learner_id: str, what: Text) -> None:
    """Refuse unless the caller may read the learner's credentials (as the learner's
    certificates and conversions); a closed account's are not found."""
    if not await require_sight(info, learner_id, what):
        raise NotFound(
            f"the learner closed the account, so {what('en')} can no longer be read",
            field="id",
            zh=f"该学习者已注销账户，无法再查看{what('zh')}",
        )


def _parsed(document: str) -> Any:
    """A signed document as kept, parsed: its numbers as JSON wrote them."""
    return json.loads(document)


_CONVERSIONS = _LearnerList(access.CONVERSIONS, conversions.CONVERSIONS, Conversion.from_record)
_AWARDS = _LearnerList(access.CERTIFICATES, certificates.AWARDS, AwardedCertificate.from_record)
_REFUSALS = _LearnerList(access.REFUSALS, conversions.REFUSALS, ConversionRefusal.from_record)
