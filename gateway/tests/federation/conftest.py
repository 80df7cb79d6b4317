"""The corpus, running once per test session (see running.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from gateway.tests.federation.running import RunningCorpus, running_corpus


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def corpus(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningCorpus]:
    async with running_corpus(tmp_path_factory.mktemp("federation-corpus")) as running:
        yield running
