"""The committed API schema (gateway/api.graphql, what the portal's types are generated
from) is what the committed supergraph gives today."""

from __future__ import annotations

from graphql import build_schema

from gateway.api_export import API_SCHEMA_PATH, api_schema_sdl
from gateway.compose import SUPERGRAPH_PATH


def test_committed_api_schema_is_current() -> None:
    assert API_SCHEMA_PATH.read_text() == api_schema_sdl(SUPERGRAPH_PATH.read_text()), (
        "gateway/api.graphql is stale: run `make api-schema` and commit it"
    )


def test_the_api_schema_is_what_clients_see() -> None:
    text = API_SCHEMA_PATH.read_text()
    for machinery in ("join__", "link__", "@link", "@inaccessible", "_entities", "_service"):
        assert machinery not in text
    schema = build_schema(text)
    assert schema.query_type is not None and schema.mutation_type is not None
    assert "stats" in schema.query_type.fields
