"""20 copies of the app at once on a server: first opens and new assessments in a new round.

Runs benchmarks/server_races.py's races with threads (each its own connections) on the
throwaway server; the benchmark runs them with 20 processes.
"""

from __future__ import annotations

import importlib.util
import sys

from storage_helpers import BENCHMARKS


def _races():  # type: ignore[no-untyped-def]
    if "server_races" not in sys.modules:
        sys.path.insert(0, str(BENCHMARKS))
        spec = importlib.util.spec_from_file_location(
            "server_races", BENCHMARKS / "server_races.py"
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["server_races"] = module
        spec.loader.exec_module(module)
    return sys.modules["server_races"]


def test_twenty_first_opens_and_twenty_new_assessments_in_a_new_round_give_no_errors(pg_server):
    got = _races().measure(pg_server.create_database, 20, processes=False)
    assert got["empty_clear"] == 20 and got["empty_tables"] == 0
    assert got["open_errors"] == [] and got["rows_written"] == 0
    assert got["create_errors"] == []
    assert got["rounds"] == 1 and got["assessments"] == 20
