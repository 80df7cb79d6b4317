"""The catalog and the rules that turn certified outcomes into credits; no I/O."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Major:
    code: str
    name: str
