"""Issue 18's corpus: many small Federation 2 supergraphs, Apollo Gateway's answers and ours.

Each operation of each case gives the same data (in the same order) and the same error
paths, as many errors at each, through both gateways; where Apollo Gateway contradicts the
spec, ours gives the answer the case writes out. A known gap is a strict xfail.
"""

from __future__ import annotations

import pytest

from gateway.tests.federation.corpus import Case, Operation, load_corpus
from gateway.tests.federation.running import RunningCorpus

CORPUS = load_corpus()
OPERATIONS = [operation for case in CORPUS for operation in case.operations]


def _gap(reason: str | None) -> list[pytest.MarkDecorator]:
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


@pytest.mark.parametrize(
    "case",
    [pytest.param(case, id=case.name, marks=_gap(case.startup_gap)) for case in CORPUS],
)
async def test_our_gateway_starts(corpus: RunningCorpus, case: Case) -> None:
    assert case.name not in corpus.composition_errors, corpus.composition_errors[case.name]
    assert case.name not in corpus.refusals, corpus.refusals[case.name]


@pytest.mark.parametrize(
    "operation",
    [pytest.param(op, id=op.id, marks=_gap(op.gap)) for op in OPERATIONS],
)
async def test_same_answer_as_apollo(corpus: RunningCorpus, operation: Operation) -> None:
    for problems in (corpus.composition_errors, corpus.refusals):
        assert operation.case not in problems, problems[operation.case]
    pair = corpus.pair(operation.case, in_turn=operation.is_mutation)
    if operation.expected is None:
        await pair.assert_same(operation.document, operation.variables)
        return
    ours, apollo = await pair.both(operation.document, operation.variables)
    expected = operation.expected
    assert (ours.data, ours.error_paths) == (expected.data, expected.error_paths), ours.body
    assert (apollo.data, apollo.error_paths) != (expected.data, expected.error_paths), (
        f"Apollo Gateway now follows {expected.rule}: drop the case's apollo_is_wrong note"
    )


def test_the_corpus_keeps_its_size() -> None:
    assert len(CORPUS) >= 40
    assert len(OPERATIONS) >= 150
