"""The rules engine: what one certified outcome earns a learner, and why not more."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from cbkit.i18n import Language
from services.conversion.domain import explanations
from services.conversion.domain.catalog import Course, Program, Rule
from services.conversion.domain.explanations import RefusalCode, render_refusal

ZERO = Decimal("0.0")


class ConversionStatus(Enum):
    ACTIVE = "ACTIVE"
    REDEEMED = "REDEEMED"
    EXPIRED = "EXPIRED"
    REVOKED = "REVOKED"


@dataclass(frozen=True)
class Approval:
    """A `certification.approved` event in the terms of this service."""

    case_id: str
    outcome_id: str
    learner_id: str
    kind: str
    credential_code: str | None
    hours: int | None
    achieved_on: date
    decided_at: datetime


@dataclass
class LearnerState:
    """What the learner already holds: counted against the once-per-course rule and caps."""

    credited_courses: set[str] = field(default_factory=set)
    credits_by_year: dict[int, Decimal] = field(default_factory=dict)
    credits_by_major: dict[str, Decimal] = field(default_factory=dict)

    def add(self, course_code: str, major_code: str, year: int, credits: Decimal) -> None:
        self.credited_courses.add(course_code)
        self.credits_by_year[year] = self.credits_by_year.get(year, ZERO) + credits
        self.credits_by_major[major_code] = self.credits_by_major.get(major_code, ZERO) + credits


@dataclass(frozen=True)
class Grant:
    rule: Rule
    course: Course
    credits: Decimal
    expires_on: date | None


@dataclass(frozen=True)
class Withheld:
    """Why a course the outcome reached gave nothing (or less): a code and its
    parameters (`explanations`); no course when the outcome reached none."""

    course_code: str | None
    rule_id: str | None
    rule_version: int | None
    code: RefusalCode
    params: dict[str, Any]


@dataclass(frozen=True)
class Conversion:
    id: str
    outcome_id: str
    learner_id: str
    course_code: str
    major_code: str
    rule_id: str
    credits: Decimal
    status: ConversionStatus
    converted_at: datetime
    expires_on: date | None
    rule_version: int = 1


@dataclass(frozen=True)
class Declined:
    """Why a certified outcome gave nothing (or less) for a course, or for any course
    (`course_code` None), as the learner sees it: a code and its parameters, and the
    rule version applied, if any."""

    id: int
    outcome_id: str
    learner_id: str
    course_code: str | None
    rule_id: str | None
    rule_version: int | None
    code: RefusalCode
    params: dict[str, Any]
    at: datetime

    def reason(self, language: Language) -> str:
        return render_refusal(self.code, self.params, language)


@dataclass(frozen=True)
class Award:
    serial: str
    program_code: str
    learner_id: str
    awarded_at: datetime
    flagged_at: datetime | None = None
    flag_reason: str | None = None


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _matches(rule: Rule, approval: Approval) -> bool:
    if rule.credential_code is not None:
        return rule.credential_code == approval.credential_code
    return rule.outcome_kind == approval.kind


def _why_not(rule: Rule, approval: Approval) -> tuple[RefusalCode, dict[str, Any]] | None:
    """Why a rule that matches the outcome gives nothing for it, or None if it applies."""
    if not rule.valid_on(approval.achieved_on):
        window = rule.valid_until.isoformat() if rule.valid_until else None
        params = explanations.not_valid_on(
            approval.achieved_on.isoformat(), rule.valid_from.isoformat(), window
        )
        return RefusalCode.NOT_VALID_ON, params
    if rule.min_hours is not None and (approval.hours or 0) < rule.min_hours:
        params = explanations.below_min_hours(approval.kind, approval.hours or 0, rule.min_hours)
        return RefusalCode.BELOW_MIN_HOURS, params
    return None


@dataclass(frozen=True)
class Retirement:
    """A catalog entry that kept the outcome from a rule by its retirement: `what` is
    "rule", "course" or "credential", `code` its code (a rule's id), and the course
    the rule would have credited (none for a credential)."""

    what: str
    code: str
    retired_from: date
    course_code: str | None = None
    rule_id: str | None = None
    rule_version: int | None = None


def unreached(
    approval: Approval, decided: Sequence[Grant | Withheld], retirements: Sequence[Retirement]
) -> list[Withheld]:
    """What else explains the outcome besides what the rules in force `decided`: each
    retirement that kept it from a rule (a retired credential type; a retired course or
    rule, unless the course was decided anyway), or, when nothing at all was, no rule."""
    reached = {r.course.code if isinstance(r, Grant) else r.course_code for r in decided}
    order = {"credential": 0, "course": 1, "rule": 2}
    found: list[Withheld] = []
    seen: set[str | None] = set()
    for r in sorted(retirements, key=lambda r: (order.get(r.what, 3), r.code)):
        if r.what != "credential" and (r.course_code in reached or r.course_code in seen):
            continue
        seen.add(r.course_code)
        params = explanations.retired(r.what, r.code, r.retired_from.isoformat())
        withheld = Withheld(r.course_code, r.rule_id, r.rule_version, RefusalCode.RETIRED, params)
        found.append(withheld)
    if not decided and not found:
        params = explanations.no_rule(approval.credential_code, approval.kind)
        found.append(Withheld(None, None, None, RefusalCode.NO_RULE, params))
    return found


def decide(
    approval: Approval,
    rules: Sequence[Rule],
    courses: Mapping[str, Course],
    major_caps: Mapping[str, Decimal | None],
    annual_cap: Decimal,
    state: LearnerState,
) -> list[Grant | Withheld]:
    """Per course the outcome's rules reach: one grant, or one reason it gives nothing.

    The best applicable rule wins per course (most credits, then the lowest id);
    a course credited already is refused; caps refuse, or grant what is left when
    the rule allows partial grants, and the withheld part is recorded.
    """
    by_course: dict[str, list[Rule]] = {}
    for rule in rules:
        if _matches(rule, approval) and rule.course_code in courses:
            by_course.setdefault(rule.course_code, []).append(rule)
    results: list[Grant | Withheld] = []
    for course_code in sorted(by_course):
        course = courses[course_code]
        results += _for_course(
            approval, course, by_course[course_code], major_caps, annual_cap, state
        )
    return results


def _for_course(
    approval: Approval,
    course: Course,
    rules: Sequence[Rule],
    major_caps: Mapping[str, Decimal | None],
    annual_cap: Decimal,
    state: LearnerState,
) -> list[Grant | Withheld]:
    """What the outcome earns for one course its rules reach (and `state` counts it)."""
    candidates = sorted(rules, key=lambda r: (-r.credits, r.id))
    applicable = [r for r in candidates if _why_not(r, approval) is None]
    if not applicable:
        first = candidates[0]
        code, params = _why_not(first, approval) or (RefusalCode.OTHER, {})
        return [Withheld(course.code, first.id, first.version, code, params)]
    rule = applicable[0]
    if course.code in state.credited_courses:
        params = explanations.already_credited(course.code)
        return [Withheld(course.code, rule.id, rule.version, RefusalCode.ALREADY_CREDITED, params)]
    year = approval.decided_at.year
    granted, withheld = _within_caps(rule, course, major_caps, annual_cap, state, year)
    results: list[Grant | Withheld] = []
    if withheld is not None:
        code, params = withheld
        results.append(Withheld(course.code, rule.id, rule.version, code, params))
    if granted > ZERO:
        expires = None
        if rule.credit_validity_years:
            expires = add_years(approval.decided_at.date(), rule.credit_validity_years)
        state.add(course.code, course.major_code, year, granted)
        results.append(Grant(rule, course, granted, expires))
    return results


def _within_caps(
    rule: Rule,
    course: Course,
    major_caps: Mapping[str, Decimal | None],
    annual_cap: Decimal,
    state: LearnerState,
    year: int,
) -> tuple[Decimal, tuple[RefusalCode, dict[str, Any]] | None]:
    """Credits to grant under the caps, and why when some or all are withheld."""
    room = [
        (
            annual_cap - state.credits_by_year.get(year, ZERO),
            RefusalCode.ANNUAL_CAP,
            explanations.annual_cap(annual_cap, year),
        )
    ]
    major_cap = major_caps.get(course.major_code)
    if major_cap is not None:
        used = state.credits_by_major.get(course.major_code, ZERO)
        cap = explanations.major_cap(course.major_code, major_cap)
        room.append((major_cap - used, RefusalCode.MAJOR_CAP, cap))
    left, code, params = min(room, key=lambda r: r[0])
    if left >= rule.credits:
        return rule.credits, None
    if left <= ZERO or not rule.allow_partial:
        return ZERO, (code, params)
    return left, (RefusalCode.PARTIAL, explanations.partial(left, rule.credits, code, params))


def requirement_met(program: Program, credited: Mapping[str, Decimal]) -> bool:
    """Every required course credited, or, with a minimum, that many credits from the set."""
    if program.min_credits is not None:
        total = sum((credited.get(c, ZERO) for c in program.required_course_codes), ZERO)
        return total >= program.min_credits
    return all(c in credited for c in program.required_course_codes)
