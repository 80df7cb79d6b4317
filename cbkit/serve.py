"""Run one service: `python -m services.<name>` serves it with uvicorn;
`python -m services.<name> seed` loads its development data and exits.

SIGTERM stops a process gracefully (`serve_gracefully`, the gateway's too): readiness
goes 503 and the consumer takes no more deliveries, the listening socket closes (a new
connection is refused, so the gateway sends it to another replica), the requests under
way are answered, then the lifespan ends (messages being handled acked, the relay's
last batch sent) and the process exits 0, all within the termination grace period
(deploy/kubernetes gives 30 s)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import Callable
from types import FrameType
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
    serve_gracefully(app, settings.host, settings.port, on_stop=app.state.runtime.drain)


REQUESTS_SECONDS = 15
"""How long a stopping process waits for the requests under way (a WebSocket stays
open until then), leaving the lifespan's own bounded stop inside Kubernetes' 30 s."""


class GracefulServer(uvicorn.Server):
    """uvicorn's server, where SIGTERM first calls `on_stop` and, once everything has
    stopped, exits 0 (uvicorn raises the signal again, which ends the process by it)."""

    def __init__(self, config: uvicorn.Config, on_stop: Callable[[], None] | None) -> None:
        super().__init__(config)
        self._on_stop = on_stop

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if sig != signal.SIGTERM:
            super().handle_exit(sig, frame)
            return
        if not self.should_exit and self._on_stop is not None:
            with contextlib.suppress(RuntimeError):  # not serving yet: nothing to drain
                asyncio.get_running_loop().call_soon_threadsafe(self._on_stop)
        self.should_exit = True


def serve_gracefully(
    app: Any, host: str, port: int, on_stop: Callable[[], None] | None = None
) -> None:
    """Serve `app` until SIGTERM (or Ctrl-C), then stop as the module says."""
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=REQUESTS_SECONDS,
    )
    GracefulServer(config, on_stop).run()


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
