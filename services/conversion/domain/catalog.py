"""Catalog entries and the checks an admin's edits must pass."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from cbkit import text as bounded
from cbkit.errors import Refusal

DEFAULT_ANNUAL_CAP = Decimal("42")
MAX_CREDITS = Decimal("999.9")
MAX_TEXT = 200
MAX_DESCRIPTION = 2000
MAX_VALIDITY_YEARS = 50
CODE = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,63}$")


class OutcomeKind(Enum):
    """The kinds of learning outcome a rule without a credential can name."""

    QUALIFICATION_CERTIFICATE = "QUALIFICATION_CERTIFICATE"
    VOCATIONAL_TRAINING = "VOCATIONAL_TRAINING"
    ONLINE_COURSE = "ONLINE_COURSE"
    ACADEMIC_COURSE = "ACADEMIC_COURSE"
    WORK_EXPERIENCE = "WORK_EXPERIENCE"
    OTHER = "OTHER"


OUTCOME_KINDS = tuple(kind.value for kind in OutcomeKind)


@dataclass(frozen=True, kw_only=True)
class Texts:
    """An entry's name and description in both languages, as an admin wrote them."""

    name_zh: str | None = None
    description_en: str | None = None
    description_zh: str | None = None


@dataclass(frozen=True, kw_only=True)
class Entry(Texts):
    """What every entry of the catalog but a rule has besides its own terms (given
    first, by position): its texts, and the day it is retired from (None: in use)."""

    retired_from: date | None = None


@dataclass(frozen=True)
class Major(Entry):
    code: str
    name: str
    """The English name (`name_zh` the Chinese)."""
    credential_credit_cap: Decimal | None = None


@dataclass(frozen=True)
class Course(Entry):
    code: str
    name: str
    credits: Decimal
    major_code: str


@dataclass(frozen=True)
class CredentialType(Entry):
    code: str
    name: str
    authority: str


def texts(name_zh: str | None, description: str | None, description_zh: str | None) -> Texts:
    """The Chinese name and the descriptions an admin gave, cleaned (blank: none)."""
    return Texts(
        name_zh=optional_text(name_zh, "nameZh"),
        description_en=optional_text(description, "description", MAX_DESCRIPTION),
        description_zh=optional_text(description_zh, "descriptionZh", MAX_DESCRIPTION),
    )


def optional_text(value: str | None, field: str, limit: int = MAX_TEXT) -> str | None:
    if value is None or not value.strip():
        return None
    return clean_text(value, field, limit)


class CatalogKind(Enum):
    """What a catalog entry (or change, or search match) is."""

    MAJOR = "MAJOR"
    COURSE = "COURSE"
    CREDENTIAL_TYPE = "CREDENTIAL_TYPE"
    RULE = "RULE"
    PROGRAM = "PROGRAM"
    CAPS = "CAPS"


SEARCHED_KINDS = (CatalogKind.MAJOR, CatalogKind.COURSE, CatalogKind.CREDENTIAL_TYPE)
RETIRABLE_KINDS = (
    CatalogKind.MAJOR,
    CatalogKind.COURSE,
    CatalogKind.CREDENTIAL_TYPE,
    CatalogKind.RULE,
    CatalogKind.PROGRAM,
)
CAPS_KEY = "CAPS"
"""The key of the caps in the history (they have no code of their own)."""


class CatalogAction(Enum):
    CREATED = "CREATED"
    CHANGED = "CHANGED"
    RETIRED = "RETIRED"


@dataclass(frozen=True)
class CatalogChange:
    """One change of the catalog: the entry as it was (None when created) and became."""

    id: str
    kind: CatalogKind
    code: str
    action: CatalogAction
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    changed_by: str | None
    changed_at: datetime


@dataclass(frozen=True)
class CatalogMatch:
    """An entry a search found, and how well it matched (higher first)."""

    kind: CatalogKind
    code: str
    score: float


MAX_SEARCH = 100


def search_text(text: str) -> str:
    """What a search looks for: the words of `text`, checked."""
    return bounded.required(text, "text", MAX_SEARCH, blank="blank", zh_field="搜索内容")


def check_retirement(kind: CatalogKind, retired_from: date, today: date) -> None:
    """An entry is retired from today or a later day, never back in time."""
    if kind not in RETIRABLE_KINDS:
        raise Refusal(
            f"{kind.value} cannot be retired: change it instead",
            field="kind",
            zh=f"{kind.value} 不能停用，请直接修改",
        )
    if retired_from < today:
        raise Refusal(
            f"retiredFrom ({retired_from}) must not be before today ({today})",
            field="retiredFrom",
            zh=f"retiredFrom（{retired_from}）不能早于今天（{today}）",
        )


def retired_on(retired_from: date | None, day: date) -> bool:
    """Whether an entry retired from `retired_from` is retired on `day`."""
    return retired_from is not None and retired_from <= day


@dataclass(frozen=True)
class Rule:
    id: str
    credential_code: str | None
    outcome_kind: str | None
    min_hours: int | None
    course_code: str
    credits: Decimal
    valid_from: date
    valid_until: date | None
    credit_validity_years: int | None
    allow_partial: bool = False
    version: int = 1
    """Edits make versions: 1, 2, ...; each in force from its `effective_from`."""
    effective_from: date = date.min
    """The day this version is in force from (until the next version's); a rule made
    outside the catalog (a test's) is in force from always."""
    retired_from: date | None = None
    """The rule's (not the version's): from this day on it converts nothing."""

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def same_terms(self, other: Rule) -> bool:
        """Whether `other` says what this rule says (whatever their versions)."""
        return all(getattr(self, name) == getattr(other, name) for name in RULE_TERMS)


RULE_TERMS = (
    "credential_code",
    "outcome_kind",
    "min_hours",
    "course_code",
    "credits",
    "valid_from",
    "valid_until",
    "credit_validity_years",
    "allow_partial",
)
"""What a rule's version says, as against which version it is."""


@dataclass(frozen=True)
class Edit:
    """Who changes the catalog (an admin's account id; None for the seed) and when."""

    by: str | None
    at: datetime
    today: date
    """`at`'s day in the bank's zone."""


def next_version(current: Rule, proposed: Rule, effective_from: date | None, today: date) -> Rule:
    """The version an edit of `current` makes from `proposed`'s terms: in force from
    `effective_from` (by default today, or the current version's day if that is later),
    never before the current version's."""
    if current.retired_from is not None:
        raise Refusal(
            f"conversion rule {current.id} is retired from {current.retired_from}: it is"
            " kept as it was",
            field="id",
            zh=f"转换规则 {current.id} 已自 {current.retired_from} 起停用，不能再修改",
        )
    day = effective_from if effective_from is not None else max(today, current.effective_from)
    if day < current.effective_from:
        raise Refusal(
            f"effectiveFrom ({day}) must not be before the current version's"
            f" ({current.effective_from})",
            field="effectiveFrom",
            zh=f"effectiveFrom（{day}）不能早于当前版本的生效日期（{current.effective_from}）",
        )
    return replace(proposed, id=current.id, version=current.version + 1, effective_from=day)


@dataclass(frozen=True)
class Program(Entry):
    code: str
    name: str
    required_course_codes: tuple[str, ...]
    min_credits: Decimal | None


def new_major(
    code: str, name: str, credential_credit_cap: Decimal | None, more: Texts = Texts()
) -> Major:
    """A major as an admin describes it, cleaned and checked."""
    return Major(
        code=clean_code(code, "code"),
        name=clean_text(name, "name"),
        credential_credit_cap=(
            check_credits(credential_credit_cap, "credentialCreditCap")
            if credential_credit_cap is not None
            else None
        ),
        **vars(more),
    )


def new_course(
    code: str, name: str, credits: Decimal, major_code: str, more: Texts = Texts()
) -> Course:
    return Course(
        code=clean_code(code, "code"),
        name=clean_text(name, "name"),
        credits=check_credits(credits, "credits"),
        major_code=clean_code(major_code, "majorCode"),
        **vars(more),
    )


def new_credential_type(
    code: str, name: str, authority: str, more: Texts = Texts()
) -> CredentialType:
    return CredentialType(
        code=clean_code(code, "code"),
        name=clean_text(name, "name"),
        authority=clean_text(authority, "authority"),
        **vars(more),
    )


def required_courses(codes: Sequence[str]) -> tuple[str, ...]:
    """A programme's course codes, cleaned, each once, in the order given."""
    courses = tuple(dict.fromkeys(clean_code(c, "requiredCourseCodes") for c in codes))
    if not courses:
        raise Refusal(
            "a programme needs at least one course",
            field="requiredCourseCodes",
            zh="证书项目至少需要一门课程",
        )
    return courses


def clean_code(value: str, field: str) -> str:
    code = value.strip().upper()
    if not CODE.match(code):
        raise Refusal(
            f"{field} must be 1-64 letters, digits, '.', '_' or '-', starting with a letter"
            f" or digit; got {value!r}",
            field=field,
            zh=f"{field} 必须由 1 至 64 个字母、数字、“.”、“_”或“-”组成，并以字母或数字开头；"
            f"收到的是 {value!r}",
        )
    return code


def clean_text(value: str, field: str, limit: int = MAX_TEXT) -> str:
    return bounded.required(value, field, limit, blank="blank")


def check_credits(value: Decimal, field: str) -> Decimal:
    """Credits are positive with at most one decimal: 0.5, 2.0, 3."""
    try:
        if not value.is_finite() or value <= 0:
            raise Refusal(
                f"{field} must be positive, got {value}",
                field=field,
                zh=f"{field} 必须为正数，收到的是 {value}",
            )
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < -1:
            raise Refusal(
                f"{field} may have at most one decimal, got {value}",
                field=field,
                zh=f"{field} 最多保留一位小数，收到的是 {value}",
            )
        if value > MAX_CREDITS:
            raise Refusal(
                f"{field} must be at most {MAX_CREDITS}, got {value}",
                field=field,
                zh=f"{field} 不能超过 {MAX_CREDITS}，收到的是 {value}",
            )
        return value.quantize(Decimal("0.1"))
    except InvalidOperation:
        raise Refusal(f"{field} is not a number", field=field, zh=f"{field} 不是数字") from None


def check_window(valid_from: date, valid_until: date | None) -> None:
    if valid_until is not None and valid_until <= valid_from:
        raise Refusal(
            f"validUntil ({valid_until}) must be after validFrom ({valid_from})",
            field="validUntil",
            zh=f"validUntil（{valid_until}）必须晚于 validFrom（{valid_from}）",
        )


def check_validity_years(years: int | None) -> None:
    if years is not None and not 1 <= years <= MAX_VALIDITY_YEARS:
        raise Refusal(
            f"creditValidityYears must be between 1 and {MAX_VALIDITY_YEARS}, got {years}",
            field="creditValidityYears",
            zh=f"creditValidityYears 必须在 1 到 {MAX_VALIDITY_YEARS} 之间，收到的是 {years}",
        )
