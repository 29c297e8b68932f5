"""Benchmark: import an entity list of 10,000 rows (XLSX), preview and apply it, export it.

Targets (issue 15): reading and checking the list <= 3x the time openpyxl alone takes to
load the same workbook (the baseline, timed in the same run), and reading, previewing and
applying it into an empty database <= 20 s. Medians of --runs count. Always exits 0; a
missed target shows as ok: false.
Run: python benchmarks/entity_list.py [--json] [--rows N] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from matrix_desktop.services.context import open_services  # noqa: E402
from matrix_desktop.services.entity_list import (  # noqa: E402
    entity_list_rows,
    plan_entity_list,
    read_entity_list,
    write_entity_list,
)

TARGETS = {"read_ratio": 3.0, "import_s": 20.0}


def _rows(count: int) -> list[tuple[str, str, str, str]]:
    kinds = ("Place partnership", "Provider collaborative")
    return [
        (f"System {n % 7}", f"Entity {n // 20}", kinds[(n // 20) % 2], f"Organisation {n}")
        for n in range(count)
    ]


def _figure(name: str, value: float, unit: str, target: float | None) -> dict:  # type: ignore[type-arg]
    ok = True if target is None else value <= target
    return {"name": name, "value": round(value, 3), "unit": unit, "target": target, "ok": ok}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON (last line)")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (the median counts)")
    args = parser.parse_args()
    from openpyxl import load_workbook

    baseline, reading, importing, exporting = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = write_entity_list(_rows(args.rows), folder / "list.xlsx")
        for run in range(args.runs):
            t0 = time.perf_counter()
            load_workbook(source, data_only=False).close()
            baseline.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            rows = read_entity_list(source)
            reading.append(time.perf_counter() - t0)
            svc = open_services(folder / f"db{run}.sqlite3")
            try:
                t0 = time.perf_counter()
                svc.setup.apply_many(plan_entity_list(svc, read_entity_list(source)).edits)
                importing.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                written = entity_list_rows(svc)
                write_entity_list(written, folder / "out.xlsx")
                exporting.append(time.perf_counter() - t0)
                assert len(written) == len(rows) == args.rows
            finally:
                svc.close()
    base, read = statistics.median(baseline), statistics.median(reading)
    figures = [
        _figure("openpyxl_load_s", base, "s", None),
        _figure("read_and_check_s", read, "s", None),
        _figure("read_ratio", read / base, "x baseline", TARGETS["read_ratio"]),
        _figure("import_s", statistics.median(importing), "s", TARGETS["import_s"]),
        _figure("export_s", statistics.median(exporting), "s", None),
    ]
    for f in figures:
        mark = "ok" if f["ok"] else "MISSED"
        print(f"{f['name']}: {f['value']} {f['unit']} (target {f['target']}) {mark}")
    if args.json:
        print(json.dumps({"figures": figures}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
