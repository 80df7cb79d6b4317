"""Digital Bazaar's verifier, the one we did not write (tests/credentials/verifier/
verify.mjs, run by node): its verdict on a credential, as the tests ask for it."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping
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
        input=json.dumps(credential),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    verdict: dict[str, Any] = json.loads(run.stdout)
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
    did_file = tmp_path / "did.json"
    did_file.write_text(json.dumps(issuer))
    options: list[str] = []
    for n, (url, status_list) in enumerate((status_lists or {}).items()):
        list_file = tmp_path / f"status-list-{n}.json"
        list_file.write_text(json.dumps(status_list))
        options += ["--status", f"{url}={list_file}"]
    return digital_bazaar(credential, *options, did_file=did_file)
