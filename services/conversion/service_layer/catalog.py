"""Use cases of the catalog: an admin's edits, checked before they are kept, each kept
in the catalog's history with who made it and when (an edit that changes nothing is
not one); entries retired, never deleted; what a credential would earn today."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar, Protocol, TypeVar

from cbkit.db import Connection
from cbkit.envelope import Event
from cbkit.errors import Conflict, NotFound, Refusal
from cbkit.outbox import publish
from services.conversion import domain, events
from services.conversion.domain.catalog import (
    CAPS_KEY,
    CatalogAction,
    CatalogChange,
    CatalogKind,
    Texts,
    check_retirement,
)
from services.conversion.repository import catalog as repository
from services.conversion.repository import history
from services.conversion.service_layer.records import by_api_name


def snapshot(entry: object) -> dict[str, Any]:
    """An entry as the history keeps it: its fields by their GraphQL names."""
    assert dataclasses.is_dataclass(entry) and not isinstance(entry, type)
    names = [f.name for f in dataclasses.fields(entry)]
    return {name: _plain(value) for name, value in by_api_name(entry, names).items()}


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


async def _record(
    conn: Connection,
    edit: domain.Edit,
    kind: CatalogKind,
    key: str,
    before: object | None,
    after: object | None,
    action: CatalogAction | None = None,
) -> CatalogChange:
    """Keep a change of the entry `key` of `kind` in the history."""
    if action is None:
        action = CatalogAction.CREATED if before is None else CatalogAction.CHANGED
    change = CatalogChange(
        id="",
        kind=kind,
        code=key,
        action=action,
        before=None if before is None else snapshot(before),
        after=None if after is None else snapshot(after),
        changed_by=edit.by,
        changed_at=edit.at,
    )
    return await history.record(conn, change)


class _Entry(Protocol):
    """A major, course, credential type or programme: kept by its code."""

    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]

    @property
    def code(self) -> str: ...

    @property
    def retired_from(self) -> date | None: ...


E = TypeVar("E", bound=_Entry)


async def _keep(
    conn: Connection,
    edit: domain.Edit,
    kind: CatalogKind,
    entry: E,
    announce: Callable[[E], Event] | None = None,
) -> E:
    """Create or change the entry `entry.code` of `kind` (its retirement stays as it
    was), the change kept in the history and announced by the event `announce` makes,
    if any; the entry as kept. An edit that changes nothing is not one."""
    async with conn.transaction():
        before = await repository.entry_for_update(conn, kind, entry.code)
        if before is not None:
            assert isinstance(before, type(entry))
            entry = dataclasses.replace(entry, retired_from=before.retired_from)
            if entry == before:
                return before
        kept = await repository.upsert_entry(conn, kind, entry)
        await _record(conn, edit, kind, kept.code, before, kept)
        if announce is not None:
            await publish(conn, announce(kept))
        return kept


async def upsert_major(
    conn: Connection,
    edit: domain.Edit,
    code: str,
    name: str,
    credential_credit_cap: Decimal | None,
    more: Texts | None = None,
) -> domain.Major:
    """Create or change a major, with its cap on the credits converted towards its
    courses (`credential_credit_cap`, none if None)."""
    major = domain.new_major(code, name, credential_credit_cap, more or Texts())
    return await _keep(conn, edit, CatalogKind.MAJOR, major)


async def upsert_course(
    conn: Connection,
    edit: domain.Edit,
    code: str,
    name: str,
    credits: Decimal,
    major_code: str,
    more: Texts | None = None,
) -> domain.Course:
    """Create or change a course; accounts hear of it (`catalog.course_changed`)."""
    course = domain.new_course(code, name, credits, major_code, more or Texts())
    if (await repository.majors_by_code(conn, [course.major_code]))[0] is None:
        raise Refusal(
            f"no major {course.major_code} in the catalog",
            field="majorCode",
            zh=f"目录中没有专业 {course.major_code}",
        )
    return await _keep(
        conn,
        edit,
        CatalogKind.COURSE,
        course,
        announce=lambda kept: events.catalog_course_changed(kept, edit.at),
    )


async def upsert_credential_type(
    conn: Connection,
    edit: domain.Edit,
    code: str,
    name: str,
    authority: str,
    more: Texts | None = None,
) -> domain.CredentialType:
    """Create or change a credential type: the credential an authority issues, which
    rules name."""
    credential = domain.new_credential_type(code, name, authority, more or Texts())
    return await _keep(conn, edit, CatalogKind.CREDENTIAL_TYPE, credential)


async def upsert_rule(
    conn: Connection,
    edit: domain.Edit,
    *,
    id: str | None,
    credential_code: str | None,
    outcome_kind: str | None,
    min_hours: int | None,
    course_code: str,
    credits: Decimal,
    valid_from: date,
    valid_until: date | None,
    credit_validity_years: int | None,
    allow_partial: bool = False,
    effective_from: date | None = None,
    create_missing_id: bool = False,
) -> domain.Rule:
    """Create a rule (version 1, in force from its validFrom), or change the one with
    `id`: a new version in force from `effective_from` (by default today, never before
    the current version's day). An edit that changes nothing keeps the rule as it is.
    Each term is checked in turn and the first one at fault is refused by name.
    `create_missing_id` lets a seed keep its rules under fixed ids: an `id` no rule
    has yet is created instead of refused."""
    code = await _credential(conn, credential_code, outcome_kind)
    if min_hours is not None and min_hours < 1:
        raise Refusal(
            f"minHours must be at least 1, got {min_hours}",
            field="minHours",
            zh=f"minHours 至少为 1，收到的是 {min_hours}",
        )
    course = await _course(conn, course_code)
    credits = domain.check_credits(credits, "credits")
    if credits > course.credits:
        raise Refusal(
            f"credits ({credits}) must not exceed the course's {course.credits}",
            field="credits",
            zh=f"credits（{credits}）不能超过该课程的学分 {course.credits}",
        )
    domain.check_window(valid_from, valid_until)
    domain.check_validity_years(credit_validity_years)
    rule_id = _rule_id(id)
    proposed = domain.Rule(
        id=rule_id,
        credential_code=code,
        outcome_kind=outcome_kind if code is None else None,
        min_hours=min_hours,
        course_code=course.code,
        credits=credits,
        valid_from=valid_from,
        valid_until=valid_until,
        credit_validity_years=credit_validity_years,
        allow_partial=allow_partial,
        effective_from=valid_from,
    )
    async with conn.transaction():
        current = await repository.rule_for_update(conn, rule_id) if id is not None else None
        if current is None:
            if id is not None and not create_missing_id:
                raise _no_rule(id)
            if effective_from is not None:
                raise Refusal(
                    "effectiveFrom is for edits: a new rule is in force from its validFrom",
                    field="effectiveFrom",
                    zh="effectiveFrom 仅用于修改规则：新规则自其 validFrom 起生效",
                )
            created = await repository.save_rule_version(conn, proposed, edit.by, edit.at)
            await _record(conn, edit, CatalogKind.RULE, created.id, None, created)
            return created
        if current.same_terms(proposed) and effective_from in (None, current.effective_from):
            return current
        rule = domain.next_version(current, proposed, effective_from, edit.today)
        kept = await repository.save_rule_version(conn, rule, edit.by, edit.at)
        await _record(conn, edit, CatalogKind.RULE, kept.id, current, kept)
        return kept


async def _credential(
    conn: Connection, credential_code: str | None, outcome_kind: str | None
) -> str | None:
    """The credential a rule names (a known one), or None when it names a kind instead."""
    if credential_code is None and outcome_kind is None:
        raise Refusal(
            "a rule needs a credentialCode or an outcomeKind",
            field="credentialCode",
            zh="规则需要 credentialCode 或 outcomeKind",
        )
    code = domain.clean_code(credential_code, "credentialCode") if credential_code else None
    if code and not await repository.credential_type_exists(conn, code):
        raise Refusal(
            f"no credential type {code} in the catalog",
            field="credentialCode",
            zh=f"目录中没有证书类型 {code}",
        )
    if outcome_kind is not None and outcome_kind not in domain.OUTCOME_KINDS:
        raise Refusal(
            f"unknown outcome kind {outcome_kind}",
            field="outcomeKind",
            zh=f"未知的成果类型 {outcome_kind}",
        )
    return code


async def _course(conn: Connection, course_code: str) -> domain.Course:
    code = domain.clean_code(course_code, "courseCode")
    course = (await repository.courses_by_code(conn, [code]))[0]
    if course is None:
        raise Refusal(
            f"no course {code} in the catalog", field="courseCode", zh=f"目录中没有课程 {code}"
        )
    return course


def _rule_id(id: str | None) -> str:
    """A new id, or `id` as a rule's id is written (a rule with it may not exist)."""
    if id is None:
        return str(uuid.uuid4())
    try:
        return str(uuid.UUID(id))
    except ValueError:
        raise _no_rule(id) from None


def _retired_rule_id(code: str) -> str:
    """The id of a rule to retire, named by `code`."""
    try:
        return str(uuid.UUID(code))
    except ValueError:
        raise NotFound(
            f'no conversion rule with id "{code}"',
            field="code",
            zh=f"没有 id 为“{code}”的转换规则",
        ) from None


def _no_rule(id: str) -> NotFound:
    return NotFound(
        f'no conversion rule with id "{id}"', field="id", zh=f"没有 id 为“{id}”的转换规则"
    )


async def upsert_program(
    conn: Connection,
    edit: domain.Edit,
    code: str,
    name: str,
    required_course_codes: Sequence[str],
    min_credits: Decimal | None,
    more: Texts | None = None,
) -> domain.Program:
    courses = domain.required_courses(required_course_codes)
    found = await repository.courses_by_code(conn, list(courses))
    missing = [c for c, f in zip(courses, found, strict=True) if f is None]
    if missing:
        raise Refusal(
            f"no course {', '.join(missing)} in the catalog",
            field="requiredCourseCodes",
            zh=f"目录中没有课程 {'、'.join(missing)}",
        )
    if min_credits is not None:
        min_credits = domain.check_credits(min_credits, "minCredits")
        available = sum((f.credits for f in found if f is not None), Decimal(0))
        if min_credits > available:
            raise Refusal(
                f"minCredits ({min_credits}) is more than the courses give ({available})",
                field="minCredits",
                zh=f"minCredits（{min_credits}）超过了这些课程的学分总和（{available}）",
            )
    program = domain.Program(
        code=domain.clean_code(code, "code"),
        name=domain.clean_text(name, "name"),
        required_course_codes=courses,
        min_credits=min_credits,
        **vars(more or Texts()),
    )
    return await _keep(conn, edit, CatalogKind.PROGRAM, program)


async def set_annual_cap(conn: Connection, edit: domain.Edit, annual_credits: Decimal) -> Decimal:
    credits = domain.check_credits(annual_credits, "annualCredits")
    async with conn.transaction():
        before = await repository.all_caps(conn)
        kept = await repository.set_annual_cap(conn, credits)
        after = await repository.all_caps(conn)
        if after != before:
            change = CatalogChange(
                id="",
                kind=CatalogKind.CAPS,
                code=CAPS_KEY,
                action=CatalogAction.CHANGED,
                before=before,
                after=after,
                changed_by=edit.by,
                changed_at=edit.at,
            )
            await history.record(conn, change)
        return kept


async def retire(
    conn: Connection, edit: domain.Edit, kind: CatalogKind, code: str, retired_from: date
) -> CatalogChange:
    """Retire a catalog entry from a day on (today or later): kept, but from that day
    it converts nothing and searches and pages leave it out."""
    check_retirement(kind, retired_from, edit.today)
    key = _retired_rule_id(code) if kind is CatalogKind.RULE else domain.clean_code(code, "code")
    async with conn.transaction():
        before = await repository.entry_for_update(conn, kind, key)
        if before is None:
            raise NotFound(
                f"no {kind.value} {code} in the catalog",
                field="code",
                zh=f"目录中没有 {kind.value} {code}",
            )
        retired = getattr(before, "retired_from", None)
        if retired is not None:
            raise Conflict(
                f"{kind.value} {key} is retired already (from {retired})",
                field="code",
                zh=f"{kind.value} {key} 已自 {retired} 起停用",
            )
        await repository.retire(conn, kind, key, retired_from)
        after = await repository.entry_for_update(conn, kind, key)
        if isinstance(after, domain.Course):
            await publish(conn, events.catalog_course_changed(after, edit.at))
        return await _record(conn, edit, kind, key, before, after, CatalogAction.RETIRED)


async def find_rules(
    conn: Connection, credential_code: str | None, major_code: str | None
) -> list[domain.Rule]:
    """The rules of a credential and of a major's courses; either filter may be left out."""
    credential = credential_code.strip().upper() if credential_code else None
    major = major_code.strip().upper() if major_code else None
    return await repository.find_rules(conn, credential, major)


async def preview(conn: Connection, credential_code: str, today: date) -> list[domain.Rule]:
    """What the credential would earn `today`: its rules valid on that day."""
    code = domain.clean_code(credential_code, "credentialCode")
    rules = await repository.rules_for(conn, code, None, today)
    return [r for r in rules if r.valid_on(today)]
