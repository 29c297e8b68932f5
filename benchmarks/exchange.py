"""Benchmark: import 1,000 assessment files (13 domains each) into an empty database, then again.

Targets (issue 7): first import <= 10 s, the repeated import (all unchanged) <= 3 s, peak
memory <= 300 MB. The files are generated once; each of --runs runs imports them into a new
database (first import, files read afresh) and then again (repeat); medians count. A baseline
(reading the files and decoding their JSON) is timed in each run, to compare machines or loads.
Always exits 0; a missed target shows as ok: false.
Run: python benchmarks/exchange.py [--json] [--files N] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from matrix_desktop.core.framework import EntityKind  # noqa: E402
from matrix_desktop.core.framework_file import read_framework_file  # noqa: E402
from matrix_desktop.core.model import (  # noqa: E402
    Assessment,
    AssessmentRecord,
    Confidence,
    Entity,
    Participant,
    Rating,
    Round,
    System,
    Vote,
)
from matrix_desktop.exchange.codec import Bundle, build_document, dumps_document  # noqa: E402
from matrix_desktop.exchange.reader import forget_accepted_files  # noqa: E402
from matrix_desktop.paths import frameworks_dir  # noqa: E402
from matrix_desktop.services.context import open_services  # noqa: E402

TARGETS = {"first_import_s": 10.0, "repeat_import_s": 3.0, "peak_rss_mb": 300.0}


def _uuid(n: int, kind: int) -> str:
    return f"{kind:08x}-0000-4000-8000-{n:012x}"


def make_files(folder: Path, count: int) -> None:
    """Write count exchange files, one assessment each, over 50 places and 20 rounds."""
    fw = read_framework_file(frameworks_dir() / "syb_place_development_matrix_v1_4.yaml")
    system = System(_uuid(1, 1), "South Yorkshire and Bassetlaw", "SYB")
    stages = [s.key for s in fw.stages]
    for n in range(count):
        entity = Entity(
            _uuid(n % 50, 2), system.id, f"Place {n % 50}", EntityKind.PLACE_PARTNERSHIP
        )
        rnd = Round(_uuid(n // 50, 3), f"Round {n // 50:02d}", n // 50)
        aid = _uuid(n, 4)
        people = tuple(Participant(_uuid(n * 10 + p, 5), f"Partner {p}", "Org") for p in range(4))
        a = Assessment(
            id=aid,
            entity_id=entity.id,
            framework_key=fw.key,
            framework_version=fw.version,
            round_id=rnd.id,
            title=f"Place {n % 50} round {n // 50}",
            facilitator="Fay",
            participants=people,
            created_at="2021-05-01T10:00:00+00:00",
            modified_at="2021-05-01T12:00:00+00:00",
            revision=14,
        )
        ratings = tuple(
            Rating(
                aid,
                d.key,
                stage=stages[(n + i) % 4],
                confidence=Confidence.MEDIUM,
                evidence=f"Evidence for {d.title}. " * 20,
                rationale="Because.",
            )
            for i, d in enumerate(fw.domains)
        )
        votes = tuple(
            Vote(aid, p.id, d.key, stages[(n + i + j) % 4])
            for i, d in enumerate(fw.domains)
            for j, p in enumerate(people)
        )
        bundle = Bundle((fw,), (system,), (entity,), (rnd,), (AssessmentRecord(a, ratings, votes),))
        doc = build_document(bundle, "2021-05-01T12:00:00+00:00")
        (folder / f"a{n:04d}.mdx.json").write_bytes(dumps_document(doc))


def _baseline(folder: Path) -> float:
    """Return the seconds to read every file and decode its JSON: this machine's pace now."""
    t0 = time.perf_counter()
    for path in sorted(folder.iterdir()):
        json.loads(path.read_bytes())
    return time.perf_counter() - t0


def _figure(name: str, value: float | bool, unit: str, target: float | bool | None) -> dict:  # type: ignore[type-arg]
    if target is None:
        ok = True  # for information
    elif isinstance(target, bool):
        ok = value is target
    else:
        ok = value <= target
    return {"name": name, "value": value, "unit": unit, "target": target, "ok": ok}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON (last line)")
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (the median counts)")
    args = parser.parse_args()
    first_s: list[float] = []
    repeat_s: list[float] = []
    base_s: list[float] = []
    summaries: set[tuple[str, str]] = set()
    unchanged = True
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "assessments"
        folder.mkdir()
        make_files(folder, args.files)  # once; every run imports the same files
        for run in range(max(1, args.runs)):
            base_s.append(_baseline(folder))
            # Each first import reads every file afresh into an empty database.
            forget_accepted_files()
            svc = open_services(Path(tmp) / f"bench{run}.sqlite3", user="bench")
            try:
                t0 = time.perf_counter()
                first = svc.exchange.import_paths([folder])
                t1 = time.perf_counter()
                again = svc.exchange.import_paths([folder])
                t2 = time.perf_counter()
            finally:
                svc.close()
            first_s.append(t1 - t0)
            repeat_s.append(t2 - t1)
            summaries.add((first.plan.summary(), again.plan.summary()))
            unchanged = unchanged and again.nothing_changed
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (
        1024 if sys.platform != "darwin" else 1024 * 1024
    )
    first_m, repeat_m, base_m = (statistics.median(x) for x in (first_s, repeat_s, base_s))
    figures = [
        _figure("first_import_s", round(first_m, 2), "s", TARGETS["first_import_s"]),
        _figure("repeat_import_s", round(repeat_m, 2), "s", TARGETS["repeat_import_s"]),
        _figure("peak_rss_mb", round(peak, 1), "MB", TARGETS["peak_rss_mb"]),
        _figure("repeat_changed_nothing", unchanged, "bool", True),
        _figure("baseline_read_json_s", round(base_m, 3), "s", None),
        _figure("first_import_vs_baseline", round(first_m / base_m, 1), "x", None),
        _figure("repeat_import_vs_baseline", round(repeat_m / base_m, 1), "x", None),
    ]
    if not args.json:
        print(f"{args.files} files, {args.runs} run(s); medians")
        for first_summary, repeat_summary in sorted(summaries):
            print(f"  first import: {first_summary}\n  repeated:     {repeat_summary}")
        for f in figures:
            target = f" (target {f['target']})" if f["target"] is not None else ""
            verdict = "ok" if f["ok"] else "MISSED"
            print(f"{f['name']:<26} {f['value']} {f['unit']}{target}  {verdict}")
        print("all targets met" if all(f["ok"] for f in figures) else "some targets missed")
    else:
        print(json.dumps({"figures": figures}))
    return 0  # a missed figure is reported (ok: false), not an error


if __name__ == "__main__":
    sys.exit(main())
