"""SQL for the catalog and conversions."""

from __future__ import annotations

from cbkit.db import Connection
from services.conversion.domain import Major


async def all_majors(conn: Connection) -> list[Major]:
    rows = await conn.fetch("SELECT code, name FROM majors ORDER BY code")
    return [Major(code=r["code"], name=r["name"]) for r in rows]
