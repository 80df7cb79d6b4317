"""GraphQL types of what a learner was credited: conversions, refusals and
certificates, on the learner's account and outcomes. Every way in (a field of
`Account` or `Outcome`, a `Conversion` by its key) asks the access policy
(domain/access.py) first; what it leads to was read under that answer."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import strawberry

from cbkit.graphql import from_record
from services.conversion import domain
from services.conversion.repository import catalog, certificates, conversions
from services.conversion.schema.catalog import (
    CertificateProgram,
    ConversionRule,
    Course,
    load_course,
    referenced,
)
from services.conversion.schema.context import Info
from services.conversion.schema.sight import learner_of_outcome, require_sight

strawberry.enum(domain.ConversionStatus, name="ConversionStatus")

CONVERSIONS = "the conversions"


@strawberry.federation.type(keys=["id"])
class Account:
    """A learner's account, extended by its key (built from the key by default)."""

    id: strawberry.ID

    @strawberry.field(description="every credit the learner got: which result and rule")
    async def conversions(self, info: Info) -> list[Conversion]:
        await require_sight(info, str(self.id), CONVERSIONS)
        loader = info.context.loader("conversions_by_learner", conversions.conversions_by_learner)
        return [Conversion.from_record(c) for c in await loader.load(str(self.id))]

    @strawberry.field
    async def certificates(self, info: Info) -> list[AwardedCertificate]:
        await require_sight(info, str(self.id), "the certificates")
        loader = info.context.loader("awards_by_learner", certificates.awards_by_learner)
        return [AwardedCertificate.from_record(a) for a in await loader.load(str(self.id))]


@strawberry.federation.type(keys=["id"])
class Outcome:
    """A learning outcome, extended by its key (built from the key by default)."""

    id: strawberry.ID

    async def _require_sight(self, info: Info, what: str) -> None:
        await require_sight(info, await learner_of_outcome(info, str(self.id)), what)

    @strawberry.field
    async def conversions(self, info: Info) -> list[Conversion]:
        await self._require_sight(info, CONVERSIONS)
        loader = info.context.loader("conversions_by_outcome", conversions.conversions_by_outcome)
        return [Conversion.from_record(c) for c in await loader.load(str(self.id))]

    @strawberry.field(description="why a rule the result reached gave nothing (or less)")
    async def conversion_refusals(self, info: Info) -> list[ConversionRefusal]:
        await self._require_sight(info, "the conversion refusals")
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
    course_code: strawberry.Private[str]
    rule_id: strawberry.Private[str]

    @strawberry.field
    async def course(self, info: Info) -> Course:
        return await load_course(info, self.course_code)

    @strawberry.field
    async def rule(self, info: Info) -> ConversionRule:
        found = await referenced(info, "rules", catalog.rules_by_id, self.rule_id)
        return ConversionRule.from_record(found)

    @classmethod
    def from_record(cls, c: domain.Conversion) -> Conversion:
        outcome = Outcome(id=strawberry.ID(c.outcome_id))
        return from_record(cls, c, outcome=outcome, learner=Account(id=strawberry.ID(c.learner_id)))

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Conversion | None:
        loader = info.context.loader("conversions", conversions.conversions_by_id)
        found = await loader.load(str(id))
        await require_sight(info, found.learner_id if found else None, CONVERSIONS)
        return cls.from_record(found) if found else None


@strawberry.type
class ConversionRefusal:
    outcome: Outcome
    reason: str
    at: datetime
    course_code: strawberry.Private[str]

    @strawberry.field
    async def course(self, info: Info) -> Course:
        return await load_course(info, self.course_code)

    @classmethod
    def from_record(cls, declined: domain.Declined) -> ConversionRefusal:
        return from_record(cls, declined, outcome=Outcome(id=strawberry.ID(declined.outcome_id)))


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

    @strawberry.field
    async def program(self, info: Info) -> CertificateProgram:
        found = await referenced(info, "programs", catalog.programs_by_code, self.program_code)
        return CertificateProgram.from_record(found)

    @classmethod
    def from_record(cls, award: domain.Award) -> AwardedCertificate:
        learner = Account(id=strawberry.ID(award.learner_id))
        return from_record(cls, award, learner=learner, flagged=award.flagged_at is not None)
