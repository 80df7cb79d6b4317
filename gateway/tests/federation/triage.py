"""Runs the corpus once and prints, per operation, whether our gateway agrees with Apollo's.

    .venv/bin/python -m gateway.tests.federation.triage [case-substring ...] [--answers|--all]

For writing cases (is Apollo's answer the one the case means?) and for finding gaps: a
line per operation, `same` / `DIFFERS` (and why) / `REFUSED`, with the gap it carries;
`--answers` prints both answers of every operation that differs, `--all` of every one.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path
from typing import Any

import orjson

from gateway.tests.federation.corpus import Operation, load_corpus
from gateway.tests.federation.running import RunningCorpus, running_corpus
from gateway.tests.harness import Answer

ErrorPaths = list[tuple[str | int, ...] | None]


def difference(ours: Answer, data: Any, paths: ErrorPaths) -> str:
    """What our answer gets wrong in one line: our first error, else where the data differs."""
    errors = [error.get("message", "") for error in ours.body.get("errors", ())]
    if ours.error_paths != paths:
        if errors:
            return f"ours errs: {errors[0]}"[:160]
        return f"we give no error where the right answer has errors at {paths}"
    where = _first_difference(ours.data, data, ())
    return f"data differs at {'.'.join(map(str, where))}: ours {_at(ours.data, where)}"[:160]


def _first_difference(ours: Any, right: Any, path: tuple[str | int, ...]) -> tuple[str | int, ...]:
    if isinstance(ours, dict) and isinstance(right, dict) and list(ours) == list(right):
        for key in ours:
            if ours[key] != right[key]:
                return _first_difference(ours[key], right[key], (*path, key))
    if isinstance(ours, list) and isinstance(right, list) and len(ours) == len(right):
        for i, (mine, theirs) in enumerate(zip(ours, right, strict=True)):
            if mine != theirs:
                return _first_difference(mine, theirs, (*path, i))
    return path


def _at(data: Any, path: tuple[str | int, ...]) -> str:
    for step in path:
        data = data[step]
    return orjson.dumps(data).decode()


async def verdict(corpus: RunningCorpus, operation: Operation) -> tuple[str, str]:
    """`same`, `DIFFERS: <why>`, `REFUSED` or `UNCOMPOSED`, and both answers."""
    if operation.case in corpus.composition_errors:
        return "UNCOMPOSED", corpus.composition_errors[operation.case]
    pair = corpus.pair(operation.case, in_turn=operation.is_mutation)
    ours, apollo = await pair.both(operation.document, operation.variables)
    answers = "\n".join(
        f"  {who}: {orjson.dumps(answer.body).decode()}"
        for who, answer in (("ours  ", ours), ("apollo", apollo))
    )
    if operation.case in corpus.refusals:
        return "REFUSED", answers
    if operation.expected is not None:
        data, paths = operation.expected.data, operation.expected.error_paths
        same = (ours.data, ours.error_paths) == (data, paths)
    else:
        data, paths = apollo.data, apollo.error_paths
        same = (ours.ordered_data, ours.error_paths) == (apollo.ordered_data, paths)
    return ("same" if same else f"DIFFERS: {difference(ours, data, paths)}"), answers


async def main(filters: list[str], show: str) -> None:
    operations = [
        operation
        for case in load_corpus()
        if not filters or any(part in case.name for part in filters)
        for operation in case.operations
    ]
    with tempfile.TemporaryDirectory() as workdir:
        async with running_corpus(Path(workdir)) as corpus:
            for case, refusal in corpus.refusals.items():
                print(f"{case}: refused at start-up: {refusal}")
            for operation in operations:
                outcome, answers = await verdict(corpus, operation)
                word, _, why = outcome.partition(": ")
                gap = f"  [gap: {operation.gap}]" if operation.gap else ""
                print(f"{word:10} {operation.id}{gap}")
                if why:
                    print(f"  why: {why}")
                if show == "--all" or (show == "--answers" and word != "same"):
                    print(answers)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    shows = [argument for argument in arguments if argument in ("--answers", "--all")]
    filters = [argument for argument in arguments if not argument.startswith("--")]
    asyncio.run(main(filters, shows[0] if shows else ""))
