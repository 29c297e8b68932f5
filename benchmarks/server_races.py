"""Races on a shared server: 20 first opens at once, 20 new assessments in a new round at once.

Run: python benchmarks/server_races.py [--json] [--n 20] [--threads]

Starts a throwaway PostgreSQL server on 127.0.0.1 (benchmarks/_pgserver.py; stopped at the
end, also on error) and, with N separate processes (spawned; --threads: threads, each with
its own connections) released together by a barrier:

- first opens of an empty database: each must get the one-sentence "server init" message,
  no other error, and the database must still hold no table (opening never creates);
- first opens of a database just set up by `server init`: 0 errors, and no row written;
- "new assessment in a new round": N people, each for their own place, create a draft in
  the same round that does not exist yet: 0 errors, one round, N assessments.

Exits 1 when a figure misses its target. tests/storage/test_server_races.py runs the same
functions with threads.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from _pgserver import pg_server  # noqa: E402

from matrix_desktop.core.errors import MatrixError  # noqa: E402
from matrix_desktop.core.framework import EntityKind  # noqa: E402
from matrix_desktop.services import server_admin  # noqa: E402
from matrix_desktop.services.context import open_services  # noqa: E402

SYB = "syb-place-development-matrix"
TIMEOUT = 300  # seconds the whole race may take


def open_once(url: str) -> str:
    """Open the database as the app does and close it: 'ok', 'refused: ...' or 'error: ...'."""
    try:
        open_services(url, user="race").close()
        return "ok"
    except MatrixError as exc:
        return f"refused: {exc}"
    except Exception as exc:  # the outcome being counted
        return f"error: {type(exc).__name__}: {exc}"


def create_once(url: str, entity_id: str, round_name: str) -> str:
    """Create a draft self-assessment for the entity in the (maybe new) round."""
    try:
        svc = open_services(url, user=f"race-{entity_id[:8]}")
        try:
            fw = svc.catalog.framework(SYB)
            svc.assessments.create(entity_id, fw, round_name)
        finally:
            svc.close()
        return "ok"
    except MatrixError as exc:
        return f"refused: {exc}"
    except Exception as exc:  # the outcome being counted
        return f"error: {type(exc).__name__}: {exc}"


def _process_main(barrier: Any, out: Any, i: int, fn: Callable[..., str], args: tuple) -> None:  # type: ignore[type-arg]
    barrier.wait(TIMEOUT)
    out.put((i, fn(*args)))


def race(calls: list[tuple[Callable[..., str], tuple]], processes: bool) -> list[str]:  # type: ignore[type-arg]
    """Run the calls at once (released by one barrier); returns each call's outcome."""
    n = len(calls)
    results = ["missing"] * n
    if processes:
        ctx = mp.get_context("spawn")
        barrier, out = ctx.Barrier(n), ctx.Queue()
        procs = [
            ctx.Process(target=_process_main, args=(barrier, out, i, fn, args), daemon=True)
            for i, (fn, args) in enumerate(calls)
        ]
        for p in procs:
            p.start()
        for _ in range(n):
            i, outcome = out.get(timeout=TIMEOUT)
            results[i] = outcome
        for p in procs:
            p.join(TIMEOUT)
        return results
    tbarrier = threading.Barrier(n)

    def run(i: int, fn: Callable[..., str], args: tuple) -> None:  # type: ignore[type-arg]
        tbarrier.wait(TIMEOUT)
        results[i] = fn(*args)

    threads = [
        threading.Thread(target=run, args=(i, fn, args), daemon=True)
        for i, (fn, args) in enumerate(calls)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT)
    return results


def table_rows(url: str) -> dict[str, int]:
    """Return the row count of every table in the database's schema."""
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as con:
        names = [
            r[0]
            for r in con.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            )
        ]
        return {
            n: int(con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0])  # type: ignore[index]
            for n in names
        }


def places(url: str, n: int) -> list[str]:
    """Create a system with n places (as the owner); returns their entity ids."""
    svc = open_services(url, user="setup")
    try:
        system = svc.catalog.create_system("Race Region")
        return [
            svc.catalog.create_entity(system.id, f"Place {i:02d}", EntityKind.PLACE_PARTNERSHIP).id
            for i in range(n)
        ]
    finally:
        svc.close()


def measure(url_of: Callable[[str], str], n: int, processes: bool) -> dict[str, Any]:
    """Run the three races on fresh databases; returns what each counted."""
    empty = url_of("races_empty")
    outcomes = race([(open_once, (empty,))] * n, processes)
    empty_clear = sum(1 for o in outcomes if o.startswith("refused:") and "server init" in o)
    empty_tables = len(table_rows(empty))

    url = url_of("races")
    server_admin.init(url)
    before = table_rows(url)
    outcomes = race([(open_once, (url,))] * n, processes)
    open_errors = [o for o in outcomes if o != "ok"]
    rows_written = sum(abs(table_rows(url)[t] - before[t]) for t in before)

    ids = places(url, n)
    outcomes = race([(create_once, (url, i, "2031/32 Q1")) for i in ids], processes)
    create_errors = [o for o in outcomes if o != "ok"]
    svc = open_services(url)
    try:
        rounds = [r for r in svc.catalog.rounds() if r.name == "2031/32 Q1"]
        made = [a for a in svc.assessments.assessments() if rounds and a.round_id == rounds[0].id]
    finally:
        svc.close()
    return {
        "empty_clear": empty_clear,
        "empty_tables": empty_tables,
        "open_errors": open_errors,
        "rows_written": rows_written,
        "create_errors": create_errors,
        "rounds": len(rounds),
        "assessments": len(made),
    }


def figure(name: str, value: object, unit: str, target: object, ok: bool) -> dict[str, Any]:
    return {"name": name, "value": value, "unit": unit, "target": target, "ok": ok}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON (last)")
    parser.add_argument("--n", type=int, default=20, help="racers per race (default 20)")
    parser.add_argument("--threads", action="store_true", help="threads instead of processes")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    began = time.monotonic()
    with pg_server() as server:
        got = measure(server.create_database, args.n, not args.threads)
    n = args.n
    figures = [
        figure(
            f"first_opens_{n}_errors", len(got["open_errors"]), "errors", 0, not got["open_errors"]
        ),
        figure(
            f"first_opens_{n}_rows_written",
            got["rows_written"],
            "rows",
            0,
            got["rows_written"] == 0,
        ),
        figure(
            f"empty_opens_{n}_told_server_init",
            got["empty_clear"],
            "opens",
            n,
            got["empty_clear"] == n and got["empty_tables"] == 0,
        ),
        figure(
            f"new_assessment_new_round_{n}_errors",
            len(got["create_errors"]),
            "errors",
            0,
            not got["create_errors"] and got["rounds"] == 1 and got["assessments"] == n,
        ),
    ]
    for f in figures:
        verdict = "ok" if f["ok"] else "MISSED"
        line = f"{f['name']}: {f['value']} {f['unit']} (target {f['target']}) {verdict}"
        print(line, file=sys.stderr if args.json else sys.stdout)
    for problem in (got["open_errors"] + got["create_errors"])[:5]:
        print(f"  e.g. {problem[:300]}", file=sys.stderr)
    print(f"({time.monotonic() - began:.1f} s)", file=sys.stderr if args.json else sys.stdout)
    if args.json:
        print(json.dumps({"figures": figures}))
    return 0 if all(f["ok"] for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
