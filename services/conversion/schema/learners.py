"""GraphQL types of what a learner was credited: conversions, refusals and
certificates, on the learner's account and outcomes. Each field asks the access
policy (domain/access.py) whether its caller may see them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import partial

import strawberry

from cbkit.graphql import from_record
from services.conversion import domain
from services.conversion.domain import access
from services.conversion.repository import catalog, certificates, consents, conversions
from services.conversion.schema.catalog import (
    CertificateProgram,
    ConversionRule,
    Course,
    load_course,
    referenced,
)
from services.conversion.schema.context import Info

strawberry.enum(domain.ConversionStatus, name="ConversionStatus")


async def require_sight(info: Info, learner_id: str) -> None:
    """Refuse unless the caller may see the credits of `learner_id`."""
    viewer = info.context.require()
    consented = False
    if access.consent_decides(viewer, learner_id):
        at = info.context.deps.clock.now()
        loader = info.context.loader("consents", partial(consents.consented_learners, at=at))
        consented = learner_id in await loader.load(viewer.account_id)
    access.require_sight_of_credits(viewer, learner_id, consented)


@strawberry.federation.type(keys=["id"])
class Account:
    """A learner's account, extended by its key (built from the key by default)."""

    id: strawberry.ID

    @strawberry.field(description="every credit the learner got: which result and rule")
    async def conversions(self, info: Info) -> list[Conversion]:
        await require_sight(info, str(self.id))
        loader = info.context.loader("conversions_by_learner", conversions.conversions_by_learner)
        return [Conversion.from_record(c) for c in await loader.load(str(self.id))]

    @strawberry.field
    async def certificates(self, info: Info) -> list[AwardedCertificate]:
        await require_sight(info, str(self.id))
        loader = info.context.loader("awards_by_learner", certificates.awards_by_learner)
        return [AwardedCertificate.from_record(a) for a in await loader.load(str(self.id))]


@strawberry.federation.type(keys=["id"])
class Outcome:
    """A learning outcome, extended by its key (built from the key by default)."""

    id: strawberry.ID

    async def _learner_visible(self, info: Info) -> bool:
        """Whether the outcome's learner is known here and the caller may see them."""
        loader = info.context.loader("outcome_learners", conversions.learners_of_outcomes)
        learner = await loader.load(str(self.id))
        if learner is None:
            return False
        await require_sight(info, learner)
        return True

    @strawberry.field
    async def conversions(self, info: Info) -> list[Conversion]:
        if not await self._learner_visible(info):
            return []
        loader = info.context.loader("conversions_by_outcome", conversions.conversions_by_outcome)
        return [Conversion.from_record(c) for c in await loader.load(str(self.id))]

    @strawberry.field(description="why a rule the result reached gave nothing (or less)")
    async def conversion_refusals(self, info: Info) -> list[ConversionRefusal]:
        if not await self._learner_visible(info):
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
        if found is None:
            return None
        await require_sight(info, found.learner_id)
        return cls.from_record(found)


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
