"""Digital Bazaar's verifier, the one we did not write (tests/credentials/verifier/
verify.mjs, run by node): its verdict on a credential, as the tests ask for it."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

VERIFIER = Path(__file__).parent / "verifier"
CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
CLR_CONTEXT_FILE = Path(__file__).parents[2] / "cbkit" / "vc" / "contexts" / "context-2.0.1.json"


def digital_bazaar(credential: Any, *options: str, did_file: Path | None = None) -> dict[str, Any]:
    """The verdict (`{"verified": …, "errors": […]}`, and `status` when checked) on
    `credential`, with `options` such as `--resolve-from ORIGIN` or `--status URL=FILE`
    and the issuer's DID document from `did_file`. The CLR 2.0 context, which no npm
    package ships, is given from our copy."""
    verdict: dict[str, Any] = _verify(credential, options, did_file, timeout=60)
    return verdict


def verdict_offline(
    credential: Any,
    issuer: dict[str, Any],
    tmp_path: Path,
    status_lists: Mapping[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Digital Bazaar's verdict with nothing fetched: the issuer's DID document and the
    status list credentials (by the URL each is published at) given as files, written
    into `tmp_path`."""
    options, did_file = _offline(issuer, tmp_path, status_lists)
    return digital_bazaar(credential, *options, did_file=did_file)


def verdicts_offline(
    credentials: Sequence[Any],
    issuer: dict[str, Any],
    tmp_path: Path,
    status_lists: Mapping[str, dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """`verdict_offline` on each credential, in order, each verified on its own by one
    run of the verifier (`--each`): one node start for many."""
    options, did_file = _offline(issuer, tmp_path, status_lists)
    timeout = 60 + 5 * len(credentials)
    verdicts: list[dict[str, Any]] = _verify(
        list(credentials), ("--each", *options), did_file, timeout=timeout
    )
    assert len(verdicts) == len(credentials), verdicts
    return verdicts


def _offline(
    issuer: dict[str, Any], tmp_path: Path, status_lists: Mapping[str, dict[str, Any]] | None
) -> tuple[list[str], Path]:
    did_file = tmp_path / "did.json"
    did_file.write_text(json.dumps(issuer))
    options: list[str] = []
    for n, (url, status_list) in enumerate((status_lists or {}).items()):
        list_file = tmp_path / f"status-list-{n}.json"
        list_file.write_text(json.dumps(status_list))
        options += ["--status", f"{url}={list_file}"]
    return options, did_file


def _verify(given: Any, options: Sequence[str], did_file: Path | None, timeout: float) -> Any:
    assert (VERIFIER / "node_modules").is_dir(), "run `make node-deps` first"
    run = subprocess.run(
        [
            "node",
            str(VERIFIER / "verify.mjs"),
            "--context",
            f"{CLR_CONTEXT}={CLR_CONTEXT_FILE}",
            *options,
            "-",
            *([str(did_file)] if did_file else []),
        ],
        input=json.dumps(given),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    return json.loads(run.stdout)
