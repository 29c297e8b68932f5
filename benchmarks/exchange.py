"""Benchmark: import 1,000 assessment files (13 domains each) into an empty database, then again.

Targets: first import <= 10 s, the repeated import (all unchanged) <= 3 s, peak memory <= 300 MB.
Run: python benchmarks/exchange.py [--json] [--files N]
"""

from __future__ import annotations

import argparse
import json
import resource
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--files", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "assessments"
        folder.mkdir()
        make_files(folder, args.files)
        svc = open_services(Path(tmp) / "bench.sqlite3", user="bench")
        try:
            t0 = time.perf_counter()
            first = svc.exchange.import_paths([folder])
            t1 = time.perf_counter()
            again = svc.exchange.import_paths([folder])
            t2 = time.perf_counter()
        finally:
            svc.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (
        1024 if sys.platform != "darwin" else 1024 * 1024
    )
    figures = {
        "files": args.files,
        "first_import_s": round(t1 - t0, 2),
        "repeat_import_s": round(t2 - t1, 2),
        "peak_rss_mb": round(peak, 1),
        "first": first.plan.summary(),
        "repeat": again.plan.summary(),
    }
    ok = all(figures[k] <= v for k, v in TARGETS.items()) and again.nothing_changed
    figures["ok"] = ok
    if args.json:
        print(json.dumps(figures))
    else:
        for k, v in figures.items():
            print(f"{k:<16} {v}" + (f"  (target <= {TARGETS[k]})" if k in TARGETS else ""))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
