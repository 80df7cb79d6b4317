"""The gateway's log lines as `python -m gateway` writes them, caught in tests."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

from cbkit.logs import JsonFormatter


class JsonLines(logging.Handler):
    """Log lines as `python -m gateway` writes them (cbkit.logs' JSON), kept in a list."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JsonFormatter("gateway"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@contextlib.contextmanager
def logged(logger_name: str) -> Iterator[list[str]]:
    """The lines the logger writes meanwhile."""
    handler = JsonLines()
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    try:
        yield handler.lines
    finally:
        logger.removeHandler(handler)
