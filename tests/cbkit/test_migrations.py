import asyncio
import re

import pytest

from cbkit.migrations import MigrationError, migrate

from .conftest import sql_dir

FILES = {
    "0001_things.sql": "CREATE TABLE things (id int PRIMARY KEY);",
    "0002_more.sql": "INSERT INTO things VALUES (1);",
}


async def test_applying_twice_changes_nothing(plumbing, tmp_path):
    source = [("demo", sql_dir(tmp_path, FILES))]
    async with plumbing.pool.acquire() as conn:
        assert await migrate(conn, source) == ["demo/0001_things.sql", "demo/0002_more.sql"]
        assert await migrate(conn, source) == []
        assert await conn.fetchval("SELECT count(*) FROM things") == 1


async def test_two_concurrent_runners_apply_each_file_once(plumbing, tmp_path):
    source = [("demo", sql_dir(tmp_path, FILES))]

    async def run() -> list[str]:
        async with plumbing.pool.acquire() as conn:
            return await migrate(conn, source)

    first, second = await asyncio.gather(run(), run())
    assert sorted(first + second) == ["demo/0001_things.sql", "demo/0002_more.sql"]
    async with plumbing.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM things") == 1


async def test_an_edited_applied_migration_is_refused_by_name(plumbing, tmp_path):
    directory = sql_dir(tmp_path, FILES)
    async with plumbing.pool.acquire() as conn:
        await migrate(conn, [("demo", directory)])
        (directory / "0002_more.sql").write_text("INSERT INTO things VALUES (2);")
        with pytest.raises(MigrationError, match=re.escape("demo/0002_more.sql")):
            await migrate(conn, [("demo", directory)])
        assert await conn.fetchval("SELECT count(*) FROM things") == 1


async def test_a_failing_migration_leaves_nothing_half_applied(plumbing, tmp_path):
    directory = sql_dir(tmp_path, {"0001_bad.sql": "CREATE TABLE half (id int); SELECT 1/0;"})
    async with plumbing.pool.acquire() as conn:
        with pytest.raises(Exception, match="division by zero"):
            await migrate(conn, [("demo", directory)])
        assert await conn.fetchval("SELECT to_regclass('half')") is None
        assert await conn.fetchval("SELECT count(*) FROM schema_migrations") == 1
