"""The corpus's cases as the tests see them: each case's operations file, parsed.

`cases/<case>/operations.graphql` holds the case's operations, each after a line
`### <name>`, its notes as `# key: value` lines before its document:

- `gap: <what our gateway gets wrong>`: a known gap, the test is a strict xfail;
- `variables: <JSON object>`;
- `apollo_is_wrong: <the spec rule>` with `expect: <JSON {"data": ..., "error_paths": [...]}>`:
  Apollo Gateway contradicts the spec, our gateway must give `expect` instead.

A `# gap: ...` line before the first operation: our gateway refuses the supergraph at
start-up; every operation of the case is then a gap too.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CASES_DIR = Path(__file__).resolve().parent / "cases"
OPERATIONS_FILE = "operations.graphql"
NOTE = re.compile(r"#\s*([a-z_]+):\s*(.*)")
NOTES = {"gap", "variables", "apollo_is_wrong", "expect"}


class CorpusError(ValueError):
    """An operations file does not follow the format above."""


@dataclass(frozen=True)
class Expected:
    """What the spec says the answer is, where Apollo Gateway says otherwise."""

    rule: str
    data: Any
    error_paths: list[tuple[str | int, ...] | None]


@dataclass(frozen=True)
class Operation:
    case: str
    name: str
    document: str
    variables: dict[str, Any] | None
    gap: str | None
    expected: Expected | None

    @property
    def id(self) -> str:
        return f"{self.case}::{self.name}"

    @property
    def is_mutation(self) -> bool:
        return re.search(r"^\s*mutation\b", self.document, re.MULTILINE) is not None


@dataclass(frozen=True)
class Case:
    name: str
    startup_gap: str | None
    operations: tuple[Operation, ...]


def load_corpus(cases_dir: Path = CASES_DIR) -> list[Case]:
    return [
        parse_case(directory.name, (directory / OPERATIONS_FILE).read_text())
        for directory in sorted(cases_dir.iterdir())
        if directory.is_dir()
    ]


def parse_case(case: str, text: str) -> Case:
    head, *blocks = re.split(r"^###[ \t]*", text, flags=re.MULTILINE)
    startup = _notes(case, head.splitlines())
    if set(startup) - {"gap"}:
        raise CorpusError(f"{case}: only `gap` may come before the first operation")
    startup_gap = startup.get("gap")
    operations = tuple(_operation(case, block, startup_gap) for block in blocks)
    names = [operation.name for operation in operations]
    if len(set(names)) != len(names) or not names:
        raise CorpusError(f"{case}: operations must exist and have distinct names: {names}")
    return Case(case, startup_gap, operations)


def _operation(case: str, block: str, startup_gap: str | None) -> Operation:
    name, *lines = block.splitlines()
    notes_end = next(
        (i for i, line in enumerate(lines) if not line.lstrip().startswith("#")), len(lines)
    )
    notes = _notes(f"{case}::{name}", lines[:notes_end])
    document = "\n".join(lines[notes_end:]).strip()
    if not document:
        raise CorpusError(f"{case}::{name} has no document")
    gap = notes.get("gap") or (startup_gap and f"refused at start-up: {startup_gap}")
    return Operation(
        case=case,
        name=name.strip(),
        document=document,
        variables=json.loads(notes["variables"]) if "variables" in notes else None,
        gap=gap,
        expected=_expected(f"{case}::{name}", notes),
    )


def _notes(where: str, lines: list[str]) -> dict[str, str]:
    notes: dict[str, str] = {}
    for line in lines:
        match = NOTE.fullmatch(line.strip())
        if match is None:
            continue  # a comment that is no note: a description
        key, value = match.groups()
        if key not in NOTES:
            raise CorpusError(f"{where}: unknown note `{key}` (known: {sorted(NOTES)})")
        notes[key] = value.strip()
    return notes


def _expected(where: str, notes: dict[str, str]) -> Expected | None:
    if ("apollo_is_wrong" in notes) != ("expect" in notes):
        raise CorpusError(f"{where}: `apollo_is_wrong` and `expect` go together")
    if "expect" not in notes:
        return None
    expect = json.loads(notes["expect"])
    paths = [tuple(path) if path is not None else None for path in expect["error_paths"]]
    return Expected(notes["apollo_is_wrong"], expect["data"], sorted(paths, key=repr))
