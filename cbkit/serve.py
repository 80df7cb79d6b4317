"""Run one service with uvicorn: `python -m services.<name>`."""

from __future__ import annotations

import uvicorn

from cbkit.app import ServiceSpec, create_app
from cbkit.logs import configure_logging
from cbkit.settings import load_settings


def serve(spec: ServiceSpec) -> None:
    settings = load_settings(spec.name)
    configure_logging(spec.name, settings.extra.get("CB_LOG_LEVEL", "INFO"))
    app = create_app(spec, settings)
    uvicorn.run(app, host=settings.host, port=settings.port, log_config=None, access_log=False)
