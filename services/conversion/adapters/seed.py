"""The demo catalog (the reference story), conversion's development seed:
`python -m services.conversion seed`.

Idempotent: every entry is an upsert keyed by its code (rules by a fixed id). Each
goes through the same use cases, and so the same checks, as an admin's edits.
"""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from cbkit import wire
from cbkit.clock import Clock
from cbkit.db import Connection
from services.conversion import domain
from services.conversion.domain.catalog import Texts, texts
from services.conversion.service_layer import catalog

CATALOG = Path(__file__).parent / "demo_catalog.json"


def _credits(entry: dict[str, Any], name: str) -> Decimal | None:
    value = entry.get(name)
    return None if value is None else wire.parse_credits(value)


def _texts(entry: dict[str, Any]) -> Texts:
    """The Chinese name and the descriptions of an entry (`name` is the English one)."""
    return texts(entry.get("nameZh"), entry.get("description"), entry.get("descriptionZh"))


async def _upsert_rule(conn: Connection, edit: domain.Edit, entry: dict[str, Any]) -> None:
    """A rule with a fixed id: created the first time, updated after."""
    await catalog.upsert_rule(
        conn,
        edit,
        id=entry["id"],
        credential_code=entry.get("credentialCode"),
        outcome_kind=entry.get("outcomeKind"),
        min_hours=entry.get("minHours"),
        course_code=entry["courseCode"],
        credits=wire.parse_credits(entry["credits"]),
        valid_from=wire.parse_day(entry["validFrom"]),
        valid_until=wire.parse_optional_day(entry.get("validUntil")),
        credit_validity_years=entry.get("creditValidityYears"),
        allow_partial=bool(entry.get("allowPartial", False)),
        create_missing_id=True,
    )


async def load_demo_catalog(
    conn: Connection, path: Path = CATALOG, clock: Clock | None = None
) -> dict[str, int]:
    """Upsert the catalog in `path` in one transaction, as the system (no admin) at the
    `clock`'s time; return how many of each kind."""
    clock = clock or Clock()
    data = json.loads(await asyncio.to_thread(path.read_bytes))
    edit = domain.Edit(by=None, at=clock.now(), today=clock.today())
    async with conn.transaction():
        for m in data["majors"]:
            cap = _credits(m, "credentialCreditCap")
            await catalog.upsert_major(conn, edit, m["code"], m["name"], cap, _texts(m))
        for c in data["courses"]:
            credits = wire.parse_credits(c["credits"])
            await catalog.upsert_course(
                conn, edit, c["code"], c["name"], credits, c["majorCode"], _texts(c)
            )
        for t in data["credentialTypes"]:
            await catalog.upsert_credential_type(
                conn, edit, t["code"], t["name"], t["authority"], _texts(t)
            )
        for r in data["rules"]:
            await _upsert_rule(conn, edit, r)
        for p in data["certificatePrograms"]:
            courses, minimum = p["requiredCourseCodes"], _credits(p, "minCredits")
            await catalog.upsert_program(
                conn, edit, p["code"], p["name"], courses, minimum, _texts(p)
            )
        if "annualCredits" in data:
            await catalog.set_annual_cap(conn, edit, wire.parse_credits(data["annualCredits"]))
    return {key: len(data[key]) for key in ("majors", "courses", "credentialTypes", "rules")}


async def seed(conn: Connection) -> str:
    counts = await load_demo_catalog(conn)
    return "demo catalog loaded: " + ", ".join(f"{n} {kind}" for kind, n in counts.items())
