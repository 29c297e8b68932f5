"""Round trips per operation on a server, counted at a TCP proxy: pinned so they never creep up.

Uses benchmarks/server_latency.py (the same operations and counting the benchmark reports)
with 10 ms added each way, as the benchmark: with none, a server answering the first part of
a pipeline before the app has sent the rest would count as a round trip the app never waits
on (a busy machine made the counts vary). The pins are today's counts, all within the
issue's targets (open <= 4, edit <= 3, entity list <= 3, single view <= 3): an edit is two
pipelines (claim and reads with the BEGIN; writes, audit, notice and COMMIT) and the single
view one (storage.pipeline).
"""

from __future__ import annotations

import importlib.util
import sys

import pytest
from storage_helpers import BENCHMARKS

# Today's round trips; lower them as reads are batched further, never raise them.
PINNED = {"open an assessment": 3, "one edit": 2, "entity list": 3, "single view": 1}


@pytest.fixture(scope="module")
def latency():  # type: ignore[no-untyped-def]
    saved = list(sys.path)  # the benchmark puts benchmarks/ and src/ on it
    try:
        spec = importlib.util.spec_from_file_location(
            "server_latency", BENCHMARKS / "server_latency.py"
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["server_latency"] = module  # its dataclasses look their module up
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.path[:] = saved


def test_round_trips_per_operation_stay_pinned(latency, pg_server):
    url = latency.prepare(pg_server)
    measured = {m.name: m for m in latency.run_against(url, pg_server.port, 10.0, 1)}
    assert set(measured) == set(PINNED)
    for name, pin in PINNED.items():
        assert measured[name].round_trips <= pin, (name, measured[name].round_trips)
        assert measured[name].round_trips <= latency.ROUND_TRIP_TARGETS[name], name
    # Opening meets the time budget by its round trips alone (20 ms each).
    assert measured["open an assessment"].round_trips * 20 <= 250 - 50


def test_pipelined_assessment_view_matches_the_plain_queries(pg_url):
    from matrix_desktop.paths import examples_dir
    from matrix_desktop.services.context import open_services
    from matrix_desktop.storage.views import queried_view, read_assessment_view

    svc = open_services(pg_url, user="tester")
    try:
        svc.exchange.import_paths([examples_dir()])
        ids = [a.id for a in svc.assessments.assessments()]
        with svc.db.reader() as s:
            for aid in ids:
                assert read_assessment_view(s, aid) == queried_view(s, aid)
            with pytest.raises(Exception, match="no assessment"):
                read_assessment_view(s, "no-such-id")
    finally:
        svc.close()
