"""Fuzz: valid, mutated and hostile exchange and framework files through the real import.

Builds on the hypothesis-based fuzz in tests/exchange (test_fuzz.py's mutations and
fuzz_files.py's generators), adding hostile files: over-long integers, nesting 100,000 deep,
NaN and Infinity, repeated keys and characters text may not hold. Cases: a hostile or mutated
copy of one small exported file, or a generated broken exchange file, imported into one
database that must stay as it was; a generated valid exchange file (after a mutation that
keeps it valid) or framework file, imported into an accepting database (renewed every 25
files; imports there skip the backup each import takes first), which must accept it, and
whose export of what it took must equal what came in (the round trip); a broken framework
file, which `frameworks import` must refuse. A refusal must be the app's own error and
change nothing (the database's logical dump, or its change counter for the accepting one).
Figures: files tried, accepted, refused, crashes, hangs (a case over --hang seconds),
refused-but-changed, valid files refused, broken files accepted and round-trip failures;
all but the first three target 0. Exits 1 if any of them is not 0.
Run: python benchmarks/fuzz.py [--cases N] [--json] [--hang SECONDS]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# benchmarks/exchange.py would shadow the tests' exchange package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "benchmarks"]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from exchange.fuzz_files import (  # noqa: E402
    break_framework,
    exchange_round_trip_problem,
    framework_round_trip_problem,
    framework_text,
    keep_valid,
    sign,
    valid_exchange,
    valid_framework,
)
from exchange.helpers import logical_dump, new_assessment, open_db, small_framework  # noqa: E402
from exchange.test_fuzz import DOC_KINDS, _mutate_doc, _mutated  # noqa: E402
from matrix_desktop.core.errors import MatrixError  # noqa: E402

HOSTILE = ["huge_int", "very_deep", "nan", "infinity", "repeated_key", "bad_character"]


def _hostile(good: bytes, data: st.DataObject) -> bytes:
    kind = data.draw(st.sampled_from(HOSTILE), label="hostile")
    text = good.decode("utf-8")
    if kind == "huge_int":
        digits = data.draw(st.integers(101, 20_000), label="digits")
        return text.replace('"format_version":1', '"format_version":1' + "7" * digits).encode()
    if kind == "very_deep":
        n = data.draw(st.integers(65, 200_000), label="depth")
        return ('{"note":' + "[" * n + "]" * n + "," + text.lstrip()[1:]).encode()
    if kind in ("nan", "infinity"):
        literal = "NaN" if kind == "nan" else data.draw(st.sampled_from(["Infinity", "1e999"]))
        return text.replace('"format_version":1', f'"format_version":{literal}').encode()
    if kind == "repeated_key":
        return ('{"format":"x",' + text.lstrip()[1:]).encode()
    char = data.draw(st.sampled_from(["\x7f", "\x85", "\u2028", "\u2029", "\x01", "\r"]))
    doc = json.loads(good)
    doc["note"] = "note" + char + "x"
    from matrix_desktop.exchange.codec import content_checksum

    doc["checksum"] = content_checksum(doc)
    escaped = data.draw(st.booleans(), label="escaped")
    return json.dumps(doc, ensure_ascii=escaped).encode("utf-8")


COUNTS = [
    "files_tried",
    "accepted",
    "refused",
    "crashes",
    "hangs",
    "refused_but_changed",
    "valid_refused",
    "broken_accepted",
    "round_trip_failures",
]
MUST_BE_ZERO = COUNTS[3:]
# What each case is: a hostile or mutated copy of one small exported file, a generated valid
# exchange file (kept valid by its mutation) or one broken, a valid framework file or a broken.
CASE_KINDS = [
    "hostile",
    "mutated",
    "mutated",
    "valid_exchange",
    "valid_exchange",
    "valid_exchange",
    "broken_exchange",
    "valid_framework",
    "broken_framework",
]
ACCEPTED_PER_DATABASE = 25  # a fresh accepting database then, so cases stay alike in cost


class _Accepting:
    """The database valid files go into: a copy of a fresh one, renewed every so often."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.template = folder / "template.sqlite3"
        open_db(self.template).close()
        self.number = 0
        self.accepted = 0
        self.svc: Any = None
        self.renew()

    def renew(self) -> None:
        if self.svc is not None:
            self.svc.close()
        self.number += 1
        path = self.folder / f"accepting{self.number}.sqlite3"
        shutil.copyfile(self.template, path)
        self.svc = open_db(path)
        self.accepted = 0

    def took_one(self) -> None:
        self.accepted += 1
        if self.accepted >= ACCEPTED_PER_DATABASE:
            self.renew()


def _import(svc: Any, f: Path) -> None:
    """The real import (preview, then apply), without the backup each import takes first."""
    plan = svc.exchange.preview([f])
    svc.exchange.apply(plan, backup=False)


def run(cases: int, hang_s: float) -> dict[str, Any]:
    counts = dict.fromkeys(COUNTS, 0)
    by_kind = {k: [0, 0] for k in dict.fromkeys(CASE_KINDS)}  # tried, accepted
    examples: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp)
        src = open_db(path / "src.sqlite3")
        a = new_assessment(src, small_framework())
        good = src.exchange.export([a.id], path / "good.mdx.json").read_bytes()
        src.close()
        db = path / "target.sqlite3"
        target = open_db(db)
        accepting = _Accepting(path)
        state = {"before": logical_dump(db), "n": 0}

        def note(problem: str) -> None:
            if len(examples) < 5:
                examples.append(problem)

        def case(kind: str, data: st.DataObject) -> tuple[bool, str | None]:
            """Run one case; returns (accepted, a problem with it or None)."""
            state["n"] += 1
            tag = f"c{state['n']}"
            if kind in ("hostile", "mutated", "broken_exchange"):
                if kind == "hostile":
                    raw = _hostile(good, data)
                elif kind == "mutated":
                    raw = _mutated(good, data)
                else:
                    doc = valid_exchange(data, tag)
                    mutation = data.draw(
                        st.sampled_from([k for k in DOC_KINDS if k != "bad_stage"])
                    )
                    _mutate_doc(doc, mutation, data)
                    if data.draw(st.booleans(), label="re-sign"):
                        sign(doc)
                    raw = json.dumps(doc, ensure_ascii=False).encode("utf-8", "surrogatepass")
                f = path / "case.mdx.json"
                f.write_bytes(raw)
                try:
                    target.exchange.import_paths([f])
                except MatrixError:
                    after = logical_dump(db)
                    if after != state["before"]:
                        state["before"] = after
                        counts["refused_but_changed"] += 1
                    return False, None
                state["before"] = logical_dump(db)
                return True, f"{kind}: a broken file was accepted"
            svc = accepting.svc
            counter = svc.db.change_counter()
            if kind == "broken_framework":
                suffix, text = break_framework(valid_framework(data, tag), data)
                f = path / f"case{suffix}"
                f.write_text(text, encoding="utf-8")
                try:
                    svc.catalog.import_framework_file(str(f))
                except MatrixError:
                    if svc.db.change_counter() != counter:
                        counts["refused_but_changed"] += 1
                    return False, None
                return True, "broken_framework: a broken framework file was accepted"
            if kind == "valid_framework":
                suffix, text = framework_text(valid_framework(data, tag), data)
                f = path / f"case{suffix}"
                f.write_text(text, encoding="utf-8")
                try:
                    fw, _added = svc.catalog.import_framework_file(str(f))
                except MatrixError as exc:
                    if svc.db.change_counter() != counter:
                        counts["refused_but_changed"] += 1
                    return False, f"valid_framework refused: {exc}"
                problem = framework_round_trip_problem(svc, fw, path / "back.yaml")
                accepting.took_one()
                return True, problem and f"round trip: {problem}"
            raw = keep_valid(valid_exchange(data, tag), data)
            f = path / "case.mdx.json"
            f.write_bytes(raw)
            try:
                _import(svc, f)
            except MatrixError as exc:
                if svc.db.change_counter() != counter:
                    counts["refused_but_changed"] += 1
                return False, f"valid_exchange refused: {exc}"
            problem = exchange_round_trip_problem(svc, raw, path / "back.mdx.json")
            accepting.took_one()
            return True, problem and f"round trip: {problem}"

        def examples_of(kind: str, count: int) -> None:
            @settings(
                max_examples=count,
                deadline=None,
                database=None,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(data=st.data())
            def one(data: st.DataObject) -> None:
                # A case whose drawing runs out of hypothesis's buffer ends before it counts.
                t0 = time.perf_counter()
                try:
                    accepted, problem = case(kind, data)
                except Exception:  # noqa: BLE001 - a crash is what is counted here
                    counts["files_tried"] += 1
                    by_kind[kind][0] += 1
                    counts["crashes"] += 1
                    note(traceback.format_exc(limit=4))
                    state["before"] = logical_dump(db)
                else:
                    counts["files_tried"] += 1
                    by_kind[kind][0] += 1
                    counts["accepted" if accepted else "refused"] += 1
                    by_kind[kind][1] += accepted
                    if problem:
                        key = (
                            "round_trip_failures"
                            if problem.startswith("round trip")
                            else ("broken_accepted" if accepted else "valid_refused")
                        )
                        counts[key] += 1
                        note(problem)
                if time.perf_counter() - t0 > hang_s:
                    counts["hangs"] += 1

            one()

        # Each kind its share of the cases, in turn (one draw per case would favour some).
        for n, kind in enumerate(CASE_KINDS):
            share = cases * (n + 1) // len(CASE_KINDS) - cases * n // len(CASE_KINDS)
            if share:
                examples_of(kind, share)
        target.close()
        accepting.svc.close()
    return {"counts": counts, "examples": examples, "by_kind": by_kind}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON (last line)")
    parser.add_argument("--hang", type=float, default=10.0, help="seconds a case may take")
    args = parser.parse_args()
    result = run(args.cases, args.hang)
    counts = result["counts"]
    zero = MUST_BE_ZERO
    figures = [
        {
            "name": name,
            "value": value,
            "unit": "files",
            "target": 0 if name in zero else None,
            "ok": value == 0 if name in zero else True,
        }
        for name, value in counts.items()
    ]
    for example in result["examples"]:
        print(example, file=sys.stderr)
    for kind, (tried, accepted) in result["by_kind"].items():
        print(f"{kind:<18} tried {tried:>6}  accepted {accepted:>6}", file=sys.stderr)
    if args.json:
        print(json.dumps({"figures": figures}))
    else:
        for f in figures:
            target = f" (target {f['target']})" if f["target"] is not None else ""
            print(f"{f['name']:<20} {f['value']}{target}  {'ok' if f['ok'] else 'MISSED'}")
    return 0 if all(f["ok"] for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
