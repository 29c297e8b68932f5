"""Single view of one system and a compare of 10 entities on the 42x10x12 generated database.

Run: python benchmarks/single_view.py [--json] [--runs N] [--database PATH]
Targets (issue 5): each median <= 200 ms. The baseline, measured in the same run, is
reading one whole assessment record through AssessmentService.record.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _bigdb import DEFAULT_PATH, make_big_database  # noqa: E402

from matrix_desktop.services.context import open_services  # noqa: E402

TARGET_MS = 200.0


def median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm caches (frameworks, statement cache) as a running app would have them
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON last")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--database", default=str(DEFAULT_PATH))
    args = parser.parse_args(argv)

    start = time.perf_counter()
    path = make_big_database(args.database)
    prepared = time.perf_counter() - start
    open_start = time.perf_counter()
    services = open_services(path, user="bench")
    opened_ms = (time.perf_counter() - open_start) * 1000
    try:
        systems = services.catalog.systems()
        system = systems[len(systems) // 2]
        entity_ids = [e.id for e in services.catalog.entities(system.id)][:10]
        rounds = services.catalog.rounds()
        some = services.compare.candidates()[0].id
        baseline = median_ms(lambda: services.assessments.record(some), args.runs)
        view_ms = median_ms(lambda: services.single_view.single_view(system.id), args.runs)
        compare_ms = median_ms(
            lambda: services.compare.compare_entities(entity_ids, [rounds[-1].id]).radar(),
            args.runs,
        )
        across_ms = median_ms(
            lambda: services.compare.compare_entities(entity_ids).heatmap(), args.runs
        )
        progress_ms = median_ms(lambda: services.single_view.progress(entity_ids[0]), args.runs)
        counts = (
            services.db.engine.connect()
            .exec_driver_sql(
                "SELECT (SELECT count(*) FROM assessment), (SELECT count(*) FROM rating)"
            )
            .one()
        )
    finally:
        services.close()

    figures = [
        {
            "name": "single_view_one_system_ms",
            "value": round(view_ms, 2),
            "unit": "ms",
            "target": TARGET_MS,
            "ok": view_ms <= TARGET_MS,
        },
        {
            "name": "compare_10_entities_one_round_ms",
            "value": round(compare_ms, 2),
            "unit": "ms",
            "target": TARGET_MS,
            "ok": compare_ms <= TARGET_MS,
        },
        {
            "name": "compare_10_entities_12_rounds_ms",
            "value": round(across_ms, 2),
            "unit": "ms",
            "target": TARGET_MS,
            "ok": across_ms <= TARGET_MS,
        },
        {
            "name": "progress_one_entity_ms",
            "value": round(progress_ms, 2),
            "unit": "ms",
            "target": TARGET_MS,
            "ok": progress_ms <= TARGET_MS,
        },
        {
            "name": "single_view_vs_one_record_ratio",
            "value": round(view_ms / baseline, 2),
            "unit": "x",
            "target": None,
            "ok": True,
        },
        {
            "name": "open_big_database_ms",
            "value": round(opened_ms, 1),
            "unit": "ms",
            "target": None,
            "ok": True,
        },
    ]
    print(
        f"database: {path} ({counts[0]:,} assessments, {counts[1]:,} ratings; "
        f"prepared in {prepared:.1f} s)"
    )
    print(f"baseline (one assessment record): {baseline:.2f} ms median of {args.runs}")
    for f in figures:
        target = f" (target <= {f['target']:g})" if f["target"] else ""
        print(f"{f['name']}: {f['value']} {f['unit']}{target} {'ok' if f['ok'] else 'MISSED'}")
    if args.json:
        print(json.dumps({"figures": figures}))
    return 0 if all(f["ok"] for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
