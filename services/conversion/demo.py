"""The demo catalog (the reference story), conversion's development seed:
`python -m services.conversion seed`.

Idempotent: every entry is an upsert keyed by its code (rules by a fixed id).
"""

from __future__ import annotations

import asyncio
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from cbkit.db import Connection
from services.conversion import service_layer

CATALOG = Path(__file__).parent / "demo_catalog.json"


def _decimal(value: Any) -> Decimal | None:
    return Decimal(str(value)) if value is not None else None


async def load_demo_catalog(conn: Connection, path: Path = CATALOG) -> dict[str, int]:
    """Upsert the catalog in `path` in one transaction; return how many of each kind."""
    data = json.loads(await asyncio.to_thread(path.read_bytes))
    async with conn.transaction():
        for m in data["majors"]:
            await service_layer.upsert_major(
                conn, m["code"], m["name"], _decimal(m.get("credentialCreditCap"))
            )
        for c in data["courses"]:
            await service_layer.upsert_course(
                conn, c["code"], c["name"], Decimal(c["credits"]), c["majorCode"]
            )
        for t in data["credentialTypes"]:
            await service_layer.upsert_credential_type(conn, t["code"], t["name"], t["authority"])
        for r in data["rules"]:
            await _upsert_rule(conn, r)
        for p in data["certificatePrograms"]:
            await service_layer.upsert_program(
                conn, p["code"], p["name"], p["requiredCourseCodes"], _decimal(p.get("minCredits"))
            )
        if "annualCredits" in data:
            await service_layer.set_annual_cap(conn, Decimal(data["annualCredits"]))
    return {key: len(data[key]) for key in ("majors", "courses", "credentialTypes", "rules")}


async def _upsert_rule(conn: Connection, r: dict[str, Any]) -> None:
    """A rule with a fixed id: created the first time, updated after."""
    await service_layer.upsert_rule(
        conn,
        id=r["id"],
        credential_code=r.get("credentialCode"),
        outcome_kind=r.get("outcomeKind"),
        min_hours=r.get("minHours"),
        course_code=r["courseCode"],
        credits=Decimal(r["credits"]),
        valid_from=date.fromisoformat(r["validFrom"]),
        valid_until=date.fromisoformat(r["validUntil"]) if r.get("validUntil") else None,
        credit_validity_years=r.get("creditValidityYears"),
        allow_partial=bool(r.get("allowPartial", False)),
        create_missing_id=True,
    )


async def seed(conn: Connection) -> str:
    counts = await load_demo_catalog(conn)
    return "demo catalog loaded: " + ", ".join(f"{n} {kind}" for kind, n in counts.items())
