"""The web portal's build inputs: its operations' types are generated from the current
API (a stale `web/src/gql/` fails here), and its trusted-documents manifest is one the
gateway loads, every document valid against the API the gateway serves."""

import subprocess
from pathlib import Path

from graphql import build_schema, parse, validate

from cbkit.devrun import TRUSTED_DOCUMENTS
from gateway.edge.trusted import load_trusted_documents

ROOT = Path(__file__).parent.parent
WEB = ROOT / "web"


def test_the_portals_operation_types_match_the_api_schema_and_its_documents():
    checked = subprocess.run(
        ["npx", "graphql-codegen", "--config", "codegen.ts", "--check"],
        cwd=WEB,
        capture_output=True,
        text=True,
        timeout=100,
    )
    assert checked.returncode == 0, (
        "web/src/gql/ is stale: run `make web-codegen` and commit it\n"
        + checked.stdout[-2000:]
        + checked.stderr[-2000:]
    )


def test_every_trusted_document_is_valid_against_the_api_the_gateway_serves():
    documents = load_trusted_documents(TRUSTED_DOCUMENTS).documents
    schema = build_schema((ROOT / "gateway" / "api.graphql").read_text())
    assert len(documents) > 10  # the portal's pages
    for digest, text in documents.items():
        errors = validate(schema, parse(text))
        assert not errors, f"{digest[:12]}…: {[e.message for e in errors]}"
