"""Member institutions: the public profile of an institution's account (its code, its
names in Chinese and English, its city) and the catalog courses it offers, which are
the only courses whose credits it may redeem; no I/O.

Accounts keeps a replica of the catalog's courses from conversion's
`catalog.course_changed`, the newest `changedAt` winning."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from cbkit import text as bounded
from cbkit.auth import Role
from cbkit.errors import Forbidden, Refusal
from services.accounts.domain.consents import check_institution

CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]*$")
MAX_CODE = 20
MAX_NAME = 200
MAX_CITY = 100
MAX_COURSES = 500
MAX_SEARCH = 100


@dataclass(frozen=True)
class Institution:
    """An institution's public profile; anyone may read it."""

    account_id: str
    code: str
    name_zh: str
    name_en: str
    city: str
    updated_at: datetime


@dataclass(frozen=True)
class CatalogCourse:
    """A course of the catalog as conversion last announced it."""

    code: str
    major_code: str
    name_zh: str | None
    name_en: str | None
    credits: Decimal
    retired_from: date | None
    changed_at: datetime

    def retired_on(self, today: date) -> bool:
        return self.retired_from is not None and self.retired_from <= today


def check_code(code: str) -> str:
    """An institution's code, like CQOU: letters, digits and hyphens, upper-cased."""
    value = code.strip().upper()
    if not value:
        raise Refusal("code must not be empty", field="code", zh="code 不能为空")
    if len(value) > MAX_CODE or not CODE.match(value):
        raise Refusal(
            f"code must be up to {MAX_CODE} letters, digits and hyphens, like CQOU",
            field="code",
            zh=f"code 必须由最多 {MAX_CODE} 个字母、数字和连字符组成，例如 CQOU",
        )
    return value


@dataclass(frozen=True)
class ProfileText:
    """A profile as an institution (or an admin) typed it."""

    code: str
    name_zh: str
    name_en: str
    city: str


def profile(account_id: str, role: Role | None, text: ProfileText, now: datetime) -> Institution:
    """The profile of the account `account_id` (whose role is None when it does not
    exist), its texts trimmed and checked field by field."""
    check_institution(role)
    return Institution(
        account_id=account_id,
        code=check_code(text.code),
        name_zh=bounded.required(text.name_zh, "nameZh", MAX_NAME),
        name_en=bounded.required(text.name_en, "nameEn", MAX_NAME),
        city=bounded.required(text.city, "city", MAX_CITY),
        updated_at=now,
    )


def check_search(search: str | None) -> str | None:
    """What a directory search looks for: None (everything) when blank."""
    if search is None:
        return None
    return bounded.at_most(bounded.words(search), "search", MAX_SEARCH) or None


def requested_codes(codes: Iterable[str]) -> list[str]:
    """The course codes asked for, trimmed, each once, in the order given."""
    seen: dict[str, str] = {}
    for code in codes:
        value = code.strip()
        if not value:
            raise Refusal(
                "courseCodes must not hold an empty code",
                field="courseCodes",
                zh="courseCodes 不能包含空的课程代码",
            )
        seen.setdefault(value.upper(), value)
    if len(seen) > MAX_COURSES:
        raise Refusal(
            f"courseCodes may name at most {MAX_COURSES} courses",
            field="courseCodes",
            zh=f"courseCodes 最多只能包含 {MAX_COURSES} 门课程",
        )
    return list(seen.values())


def offerable(
    requested: list[str], known: dict[str, CatalogCourse], today: date
) -> list[CatalogCourse]:
    """The catalog's courses for the requested codes (`known` by upper-cased code), or a
    refusal naming every unknown and every retired one."""
    unknown = [code for code in requested if code.upper() not in known]
    retired = [
        known[code.upper()].code
        for code in requested
        if code.upper() in known and known[code.upper()].retired_on(today)
    ]
    if unknown or retired:
        parts, parts_zh = [], []
        if unknown:
            parts.append(f"unknown courses {', '.join(unknown)}")
            parts_zh.append(f"未知课程 {'、'.join(unknown)}")
        if retired:
            parts.append(f"retired courses {', '.join(retired)}")
            parts_zh.append(f"已停用课程 {'、'.join(retired)}")
        raise Refusal(
            f"courseCodes holds {' and '.join(parts)}: an institution offers only courses"
            " of the catalog that are not retired",
            field="courseCodes",
            zh=f"courseCodes 包含{'和'.join(parts_zh)}：机构只能提供目录中未停用的课程",
        )
    return [known[code.upper()] for code in requested]


def require_offered(
    offered: bool, label: str, course_code: str, offers: Iterable[str] = ()
) -> None:
    """An institution redeems only the credits of a course it offers."""
    if offered:
        return
    listed = sorted(offers)
    shown = ", ".join(listed) if listed else "none yet"
    shown_zh = "、".join(listed) if listed else "暂无"
    raise Forbidden(
        f"institution {label} does not offer course {course_code}; it redeems only the"
        f" credits of courses it offers (setCoursesOffered), now: {shown}",
        field="courseCode",
        zh=f"机构 {label} 不提供课程 {course_code}；机构只能兑换其提供的课程的学分"
        f"（setCoursesOffered），目前提供：{shown_zh}",
    )


def newer(current: CatalogCourse | None, incoming: CatalogCourse) -> bool:
    """Whether `incoming` replaces what the replica holds: the newest change wins."""
    return current is None or incoming.changed_at > current.changed_at
