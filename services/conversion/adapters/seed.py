"""The demo catalog (the reference story), conversion's development seed:
`python -m services.conversion seed`.

Idempotent: every entry is an upsert keyed by its code (rules by a fixed id). The
file is ours, so it passes the checks of each entry's own terms and the database's
references; an admin's edits go through the service layer instead.
"""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from cbkit import wire
from cbkit.db import Connection
from services.conversion import domain
from services.conversion.repository import catalog

CATALOG = Path(__file__).parent / "demo_catalog.json"


def _credits(entry: dict[str, Any], name: str) -> Decimal | None:
    value = entry.get(name)
    return None if value is None else domain.check_credits(wire.parse_credits(value), name)


def _rule(entry: dict[str, Any]) -> domain.Rule:
    code = entry.get("credentialCode")
    return domain.Rule(
        id=entry["id"],
        credential_code=domain.clean_code(code, "credentialCode") if code else None,
        outcome_kind=entry.get("outcomeKind"),
        min_hours=entry.get("minHours"),
        course_code=domain.clean_code(entry["courseCode"], "courseCode"),
        credits=domain.check_credits(wire.parse_credits(entry["credits"]), "credits"),
        valid_from=wire.parse_day(entry["validFrom"]),
        valid_until=wire.parse_optional_day(entry.get("validUntil")),
        credit_validity_years=entry.get("creditValidityYears"),
        allow_partial=bool(entry.get("allowPartial", False)),
    )


def _program(entry: dict[str, Any]) -> domain.Program:
    return domain.Program(
        code=domain.clean_code(entry["code"], "code"),
        name=domain.clean_text(entry["name"], "name"),
        required_course_codes=domain.required_courses(entry["requiredCourseCodes"]),
        min_credits=_credits(entry, "minCredits"),
    )


async def load_demo_catalog(conn: Connection, path: Path = CATALOG) -> dict[str, int]:
    """Upsert the catalog in `path` in one transaction; return how many of each kind."""
    data = json.loads(await asyncio.to_thread(path.read_bytes))
    async with conn.transaction():
        for m in data["majors"]:
            major = domain.new_major(m["code"], m["name"], _credits(m, "credentialCreditCap"))
            await catalog.upsert_major(conn, major)
        for c in data["courses"]:
            credits = wire.parse_credits(c["credits"])
            course = domain.new_course(c["code"], c["name"], credits, c["majorCode"])
            await catalog.upsert_course(conn, course)
        for t in data["credentialTypes"]:
            credential = domain.new_credential_type(t["code"], t["name"], t["authority"])
            await catalog.upsert_credential_type(conn, credential)
        for r in data["rules"]:
            await catalog.upsert_rule(conn, _rule(r))
        for p in data["certificatePrograms"]:
            await catalog.upsert_program(conn, _program(p))
        if "annualCredits" in data:
            annual = wire.parse_credits(data["annualCredits"])
            await catalog.set_annual_cap(conn, domain.check_credits(annual, "annualCredits"))
    return {key: len(data[key]) for key in ("majors", "courses", "credentialTypes", "rules")}


async def seed(conn: Connection) -> str:
    counts = await load_demo_catalog(conn)
    return "demo catalog loaded: " + ", ".join(f"{n} {kind}" for kind, n in counts.items())
