"""Run one service: `python -m services.<name>` serves it with uvicorn;
`python -m services.<name> seed` loads its development data and exits."""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import uvicorn

from cbkit.app import ServiceSpec, create_app, open_database
from cbkit.logs import configure_logging
from cbkit.settings import Settings, load_settings


def serve(spec: ServiceSpec[Any], argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    settings = load_settings(spec.name, default_port=spec.port)
    configure_logging(spec.name, settings.text("CB_LOG_LEVEL", "INFO") or "INFO")
    if args == ["seed"]:
        print(asyncio.run(seed(spec, settings)))
        return
    if args:
        raise SystemExit(f"usage: python -m services.{spec.name} [seed]")
    app = create_app(spec, settings)
    uvicorn.run(app, host=settings.host, port=settings.port, log_config=None, access_log=False)


async def seed(spec: ServiceSpec[Any], settings: Settings) -> str:
    """Load the service's development data (idempotent); what it loaded."""
    if spec.seed is None:
        return f"{spec.name} has no development data"
    pool = await open_database(spec, settings)
    try:
        async with pool.acquire() as conn:
            return await spec.seed.load(conn)
    finally:
        await pool.close()
