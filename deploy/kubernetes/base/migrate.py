"""The migration Job's command: `python migrate.py <service>` creates the service's
database when missing and applies its pending migrations (as the service does when it
starts, under the same advisory lock), then exits. Mounted from a ConfigMap into the
Dockerfile's image, which holds the code it runs."""

import asyncio
import sys

from cbkit.app import open_database
from cbkit.settings import load_settings
from services import SERVICES, build


async def migrate(name: str) -> None:
    spec = build(name)
    pool = await open_database(spec, load_settings(name, default_port=spec.port))
    await pool.close()


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in SERVICES:
        raise SystemExit(f"usage: python migrate.py {{{','.join(SERVICES)}}}")
    asyncio.run(migrate(sys.argv[1]))
    print(f"{sys.argv[1]}: database migrated")
