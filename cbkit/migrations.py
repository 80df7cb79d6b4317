"""Ordered .sql migrations per service, each applied once in its own transaction.

An advisory lock serialises replicas starting together; a checksum per applied
file refuses a migration edited after it ran.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from cbkit.db import Connection

MIGRATIONS_LOCK = 0x43420001  # "CB" + 1: one key for every service's database

SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    filename   text PRIMARY KEY,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)
"""


class MigrationError(RuntimeError):
    pass


def _checksum(sql: str) -> str:
    return hashlib.sha256(sql.encode()).hexdigest()


def migration_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.sql"))


async def migrate(conn: Connection, sources: list[tuple[str, Path]]) -> list[str]:
    """Apply pending migrations from each (label, directory), in order; return names applied."""
    applied_now: list[str] = []
    await conn.execute("SELECT pg_advisory_lock($1)", MIGRATIONS_LOCK)
    try:
        await conn.execute(SCHEMA)
        rows = await conn.fetch("SELECT filename, checksum FROM schema_migrations")
        applied = {r["filename"]: r["checksum"] for r in rows}
        for label, directory in sources:
            for path in migration_files(directory):
                name = f"{label}/{path.name}"
                sql = path.read_text()
                if name in applied:
                    if applied[name] != _checksum(sql):
                        raise MigrationError(
                            f"migration {name} was edited after it was applied; "
                            "add a new migration instead"
                        )
                    continue
                async with conn.transaction():
                    await conn.execute(sql)
                    await conn.execute(
                        "INSERT INTO schema_migrations (filename, checksum) VALUES ($1, $2)",
                        name,
                        _checksum(sql),
                    )
                applied_now.append(name)
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATIONS_LOCK)
    return applied_now
