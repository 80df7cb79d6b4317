import pytest

from gateway.edge.config import ConfigError, subgraph_replicas_from_env, subgraph_urls_from_env

ENV = {
    "CB_SUBGRAPH_URL_CONVERSION": "http://127.0.0.1:4104/graphql, http://127.0.0.1:4204/graphql",
    "CB_SUBGRAPH_URL_ACCOUNTS": "http://127.0.0.1:4001/graphql",
}


def test_several_urls_for_a_subgraph_make_its_replicas_and_the_first_is_its_url():
    assert subgraph_urls_from_env(ENV) == {
        "conversion": "http://127.0.0.1:4104/graphql",
        "accounts": "http://127.0.0.1:4001/graphql",
    }
    assert subgraph_replicas_from_env(ENV) == {
        "conversion": ("http://127.0.0.1:4104/graphql", "http://127.0.0.1:4204/graphql")
    }


def test_one_url_named_twice_is_refused_by_its_variable():
    twice = {"CB_SUBGRAPH_URL_OUTCOMES": "http://a:1/graphql,http://a:1/graphql"}
    with pytest.raises(ConfigError, match="CB_SUBGRAPH_URL_OUTCOMES names one URL twice"):
        subgraph_urls_from_env(twice)
