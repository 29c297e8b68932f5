"""Help matched to need on the 42x10x12 generated database: every request for support of one
system with who could help, for one round and across all rounds.

Run: python benchmarks/help_match.py [--json] [--runs N] [--database PATH]
Targets (issue 17): one round <= 200 ms (what the system summary and the single view's tab
read); all twelve rounds <= 500 ms (the tab with "As of: Latest", read once it is shown).
The baseline, measured in the same run, is the single view of the same system.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _bigdb import DEFAULT_PATH, make_big_database  # noqa: E402
from single_view import median_ms  # noqa: E402

from matrix_desktop.services.context import open_services  # noqa: E402

ONE_ROUND_MS = 200.0
ALL_ROUNDS_MS = 500.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON last")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--database", default=str(DEFAULT_PATH))
    args = parser.parse_args(argv)

    services = open_services(make_big_database(args.database), user="bench")
    try:
        systems = services.catalog.systems()
        system = systems[len(systems) // 2]
        latest = max(services.catalog.rounds(), key=lambda r: r.sequence)
        requests = len(services.help_match.matches(system.id, latest.id).requests)
        baseline = median_ms(lambda: services.single_view.single_view(system.id), args.runs)
        one = median_ms(lambda: services.help_match.matches(system.id, latest.id), args.runs)
        every = median_ms(lambda: services.help_match.matches(system.id), args.runs)
    finally:
        services.close()
    figures = [
        {
            "name": "help_matched_one_round_ms",
            "value": round(one, 2),
            "unit": "ms",
            "target": ONE_ROUND_MS,
            "ok": one <= ONE_ROUND_MS,
        },
        {
            "name": "help_matched_all_rounds_ms",
            "value": round(every, 2),
            "unit": "ms",
            "target": ALL_ROUNDS_MS,
            "ok": every <= ALL_ROUNDS_MS,
        },
        {
            "name": "one_round_vs_single_view_ratio",
            "value": round(one / baseline, 2) if baseline else None,
            "unit": "x",
            "target": None,
            "ok": True,
        },
    ]
    print(f"{requests} requests for support in {latest.name} in {system.name}")
    for f in figures:
        print(f"{f['name']}: {f['value']} {f['unit']} (target {f['target']})")
    print(f"single view (baseline): {baseline:.1f} ms")
    if args.json:
        print(json.dumps({"figures": figures}))
    return 0 if all(f["ok"] for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
