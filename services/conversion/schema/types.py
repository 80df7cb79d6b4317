"""GraphQL types of the conversion subgraph; fields resolve in batches per request."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum

import strawberry
from strawberry.types import Info

from cbkit.auth import Role
from cbkit.db import Connection
from cbkit.errors import Forbidden
from cbkit.graphql import Context
from services.conversion import domain
from services.conversion.repository import catalog, conversions

ConversionStatus = strawberry.enum(domain.ConversionStatus, name="ConversionStatus")


@strawberry.enum(name="OutcomeKind")
class OutcomeKind(Enum):
    QUALIFICATION_CERTIFICATE = "QUALIFICATION_CERTIFICATE"
    VOCATIONAL_TRAINING = "VOCATIONAL_TRAINING"
    ONLINE_COURSE = "ONLINE_COURSE"
    ACADEMIC_COURSE = "ACADEMIC_COURSE"
    WORK_EXPERIENCE = "WORK_EXPERIENCE"
    OTHER = "OTHER"


async def _consented(conn: Connection, institutions: list[str]) -> list[set[str]]:
    return [await conversions.consented_learners(conn, i) for i in institutions]


async def may_see(info: Info[Context, None], learner_id: str) -> bool:
    """The learner, an admin, or an institution under an active consent."""
    principal = info.context.require()
    if principal.role is Role.ADMIN or principal.account_id == learner_id:
        return True
    if principal.role is Role.INSTITUTION:
        learners = await info.context.loader("consents", _consented).load(principal.account_id)
        return learner_id in learners
    return False


async def check_may_see(info: Info[Context, None], learner_id: str) -> None:
    if not await may_see(info, learner_id):
        raise Forbidden("only the learner, an admin or an institution with consent may see this")


@strawberry.federation.type(keys=["code"])
class Major:
    code: str
    name: str
    credential_credit_cap: Decimal | None = strawberry.field(
        description="most credits a learner may gain in this major from credentials"
    )

    @strawberry.field
    async def courses(self, info: Info[Context, None]) -> list[Course]:
        found = await info.context.loader("courses_by_major", catalog.courses_by_major).load(
            self.code
        )
        return [Course.of(c) for c in found]

    @classmethod
    def of(cls, major: domain.Major) -> Major:
        return cls(
            code=major.code, name=major.name, credential_credit_cap=major.credential_credit_cap
        )

    @classmethod
    async def resolve_reference(cls, info: Info[Context, None], code: str) -> Major | None:
        found = await info.context.loader("majors", catalog.majors_by_code).load(code)
        return cls.of(found) if found else None


@strawberry.federation.type(keys=["code"])
class Course:
    code: str
    name: str
    credits: Decimal
    major_code: strawberry.Private[str]

    @strawberry.field
    async def major(self, info: Info[Context, None]) -> Major:
        found = await info.context.loader("majors", catalog.majors_by_code).load(self.major_code)
        assert found is not None
        return Major.of(found)

    @classmethod
    def of(cls, course: domain.Course) -> Course:
        return cls(
            code=course.code, name=course.name, credits=course.credits, major_code=course.major_code
        )

    @classmethod
    async def resolve_reference(cls, info: Info[Context, None], code: str) -> Course | None:
        found = await info.context.loader("courses", catalog.courses_by_code).load(code)
        return cls.of(found) if found else None


async def load_course(info: Info[Context, None], code: str) -> Course:
    found = await info.context.loader("courses", catalog.courses_by_code).load(code)
    assert found is not None
    return Course.of(found)


@strawberry.type
class CredentialType:
    code: str
    name: str
    authority: str


@strawberry.type
class ConversionRule:
    id: strawberry.ID
    credential_code: str | None
    outcome_kind: OutcomeKind | None
    min_hours: int | None
    credits: Decimal
    valid_from: date
    valid_until: date | None
    credit_validity_years: int | None
    allow_partial: bool = strawberry.field(
        description="when a cap leaves less room than the rule gives, grant what is left"
    )
    course_code: strawberry.Private[str]

    @strawberry.field
    async def course(self, info: Info[Context, None]) -> Course:
        return await load_course(info, self.course_code)

    @classmethod
    def of(cls, rule: domain.Rule) -> ConversionRule:
        return cls(
            id=strawberry.ID(rule.id),
            credential_code=rule.credential_code,
            outcome_kind=OutcomeKind(rule.outcome_kind) if rule.outcome_kind else None,
            min_hours=rule.min_hours,
            credits=rule.credits,
            valid_from=rule.valid_from,
            valid_until=rule.valid_until,
            credit_validity_years=rule.credit_validity_years,
            allow_partial=rule.allow_partial,
            course_code=rule.course_code,
        )


@strawberry.federation.type(keys=["id"])
class Account:
    id: strawberry.ID

    @strawberry.field(description="every credit the learner got: which result and rule")
    async def conversions(self, info: Info[Context, None]) -> list[Conversion]:
        await check_may_see(info, str(self.id))
        found = await info.context.loader(
            "conversions_by_learner", conversions.conversions_by_learner
        ).load(str(self.id))
        return [Conversion.of(c) for c in found]

    @strawberry.field
    async def certificates(self, info: Info[Context, None]) -> list[AwardedCertificate]:
        await check_may_see(info, str(self.id))
        found = await info.context.loader("awards_by_learner", conversions.awards_by_learner).load(
            str(self.id)
        )
        return [AwardedCertificate.of(a) for a in found]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Account:
        return cls(id=id)


@strawberry.federation.type(keys=["id"])
class Outcome:
    id: strawberry.ID

    async def _learner_visible(self, info: Info[Context, None]) -> bool:
        learner = await info.context.loader(
            "outcome_learners", conversions.learners_of_outcomes
        ).load(str(self.id))
        if learner is None:
            return False
        await check_may_see(info, learner)
        return True

    @strawberry.field
    async def conversions(self, info: Info[Context, None]) -> list[Conversion]:
        if not await self._learner_visible(info):
            return []
        found = await info.context.loader(
            "conversions_by_outcome", conversions.conversions_by_outcome
        ).load(str(self.id))
        return [Conversion.of(c) for c in found]

    @strawberry.field(description="why a rule the result reached gave nothing (or less)")
    async def conversion_refusals(self, info: Info[Context, None]) -> list[ConversionRefusal]:
        if not await self._learner_visible(info):
            return []
        found = await info.context.loader(
            "refusals_by_outcome", conversions.refusals_by_outcome
        ).load(str(self.id))
        return [
            ConversionRefusal(
                outcome=Outcome(id=strawberry.ID(r.outcome_id)),
                course_code=r.course_code,
                reason=r.reason,
                at=r.at,
            )
            for r in found
        ]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Outcome:
        return cls(id=id)


@strawberry.federation.type(keys=["id"])
class Conversion:
    id: strawberry.ID
    outcome: Outcome
    learner: Account
    credits: Decimal
    status: ConversionStatus  # type: ignore[valid-type]
    converted_at: datetime
    expires_on: date | None
    course_code: strawberry.Private[str]
    rule_id: strawberry.Private[str]

    @strawberry.field
    async def course(self, info: Info[Context, None]) -> Course:
        return await load_course(info, self.course_code)

    @strawberry.field
    async def rule(self, info: Info[Context, None]) -> ConversionRule:
        found = await info.context.loader("rules", catalog.rules_by_id).load(self.rule_id)
        assert found is not None
        return ConversionRule.of(found)

    @classmethod
    def of(cls, c: domain.Conversion) -> Conversion:
        return cls(
            id=strawberry.ID(c.id),
            outcome=Outcome(id=strawberry.ID(c.outcome_id)),
            learner=Account(id=strawberry.ID(c.learner_id)),
            credits=c.credits,
            status=c.status,
            converted_at=c.converted_at,
            expires_on=c.expires_on,
            course_code=c.course_code,
            rule_id=c.rule_id,
        )

    @classmethod
    async def resolve_reference(
        cls, info: Info[Context, None], id: strawberry.ID
    ) -> Conversion | None:
        found = await info.context.loader("conversions", conversions.conversions_by_id).load(
            str(id)
        )
        if found is None:
            return None
        await check_may_see(info, found.learner_id)
        return cls.of(found)


@strawberry.type
class ConversionRefusal:
    outcome: Outcome
    reason: str
    at: datetime
    course_code: strawberry.Private[str]

    @strawberry.field
    async def course(self, info: Info[Context, None]) -> Course:
        return await load_course(info, self.course_code)


@strawberry.type
class CertificateProgram:
    code: str
    name: str
    min_credits: Decimal | None
    course_codes: strawberry.Private[tuple[str, ...]]

    @strawberry.field
    async def required_courses(self, info: Info[Context, None]) -> list[Course]:
        found = await info.context.loader("courses", catalog.courses_by_code).load_many(
            list(self.course_codes)
        )
        return [Course.of(c) for c in found if c is not None]

    @classmethod
    def of(cls, program: domain.Program) -> CertificateProgram:
        return cls(
            code=program.code,
            name=program.name,
            min_credits=program.min_credits,
            course_codes=program.required_course_codes,
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

    @strawberry.field
    async def program(self, info: Info[Context, None]) -> CertificateProgram:
        found = await info.context.loader("programs", catalog.programs_by_code).load(
            self.program_code
        )
        assert found is not None
        return CertificateProgram.of(found)

    @classmethod
    def of(cls, award: domain.Award) -> AwardedCertificate:
        return cls(
            serial=award.serial,
            learner=Account(id=strawberry.ID(award.learner_id)),
            awarded_at=award.awarded_at,
            flagged=award.flagged_at is not None,
            flag_reason=award.flag_reason,
            program_code=award.program_code,
        )


@strawberry.type
class ConversionCaps:
    annual_credits: Decimal = strawberry.field(
        description="most credits a learner may gain per calendar year"
    )
