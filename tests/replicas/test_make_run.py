import pytest

from cbkit.devrun import _processes, _waves, replica_counts, replica_urls


def test_make_run_replicas_give_each_process_its_port_and_the_gateway_all_their_urls():
    processes = _processes(replica_counts("conversion=3 certification=2"))
    conversion = [p for p in processes if p.name == "conversion"]
    assert [p.label for p in conversion] == ["conversion", "conversion#2", "conversion#3"]
    first = conversion[0].port
    assert [p.port for p in conversion] == [first, first + 100, first + 200]
    assert len({p.port for p in processes}) == len(processes)
    urls = replica_urls(processes)
    assert set(urls) == {"CB_SUBGRAPH_URL_CONVERSION", "CB_SUBGRAPH_URL_CERTIFICATION"}
    assert urls["CB_SUBGRAPH_URL_CONVERSION"].split(",") == [
        f"http://127.0.0.1:{p}/graphql" for p in (first, first + 100, first + 200)
    ]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("convresion=2", "'convresion=2' names no service"),
        ("conversion=0", "'conversion=0' must give conversion 1 to 9 replicas"),
        ("conversion", "'conversion' must give conversion 1 to 9 replicas"),
    ],
)
def test_a_wrong_replica_count_stops_make_run_saying_why(text, why):
    with pytest.raises(SystemExit, match=why):
        replica_counts(text)


def test_make_run_starts_accounts_and_the_gateway_once_every_other_queue_exists():
    # accounts announces its first admin as it starts: a service started after it would
    # never hear of that admin (its queue did not exist when the event was routed)
    first, then = _waves(_processes(replica_counts("notifications=2")))
    assert {p.name for p in then} == {"accounts", "gateway"}
    assert {p.label for p in first} >= {"notifications", "notifications#2", "conversion"}
    assert not {p.name for p in first} & {"accounts", "gateway"}
