"""Fuzz: mutated and hostile exchange files through the real import; none may crash or hang.

Builds on the hypothesis-based fuzz in tests/exchange/test_fuzz.py (its mutations), adding
hostile ones: over-long integers, nesting 100,000 deep, NaN and Infinity, repeated keys and
characters text may not hold. Each case is imported into one database; a refusal must be the
app's own error (ExchangeError or another MatrixError) and leave the database unchanged.
Figures: files tried, accepted, refused, crashes, hangs (a case over --hang seconds) and
refused-but-changed; the last three target 0. Exits 1 if any of them is not 0.
Run: python benchmarks/fuzz.py [--cases N] [--json] [--hang SECONDS]
"""

from __future__ import annotations

import argparse
import json
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

from exchange.helpers import logical_dump, new_assessment, open_db, small_framework  # noqa: E402
from exchange.test_fuzz import _mutated  # noqa: E402
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


def run(cases: int, hang_s: float) -> dict[str, Any]:
    counts = dict.fromkeys(
        ["files_tried", "accepted", "refused", "crashes", "hangs", "refused_but_changed"], 0
    )
    examples: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp)
        src = open_db(path / "src.sqlite3")
        a = new_assessment(src, small_framework())
        good = src.exchange.export([a.id], path / "good.mdx.json").read_bytes()
        src.close()
        db = path / "target.sqlite3"
        target = open_db(db)
        state = {"before": logical_dump(db)}

        @settings(
            max_examples=cases,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(data=st.data())
        def one(data: st.DataObject) -> None:
            hostile = data.draw(st.integers(0, 3), label="which") == 0
            raw = _hostile(good, data) if hostile else _mutated(good, data)
            f = path / "case.mdx.json"
            f.write_bytes(raw)
            counts["files_tried"] += 1
            t0 = time.perf_counter()
            try:
                target.exchange.import_paths([f])
            except MatrixError:
                counts["refused"] += 1
                after = logical_dump(db)
                if after != state["before"]:
                    counts["refused_but_changed"] += 1
                    state["before"] = after
            except Exception:  # noqa: BLE001 - a crash is what is counted here
                counts["crashes"] += 1
                if len(examples) < 5:
                    examples.append(traceback.format_exc(limit=3))
                state["before"] = logical_dump(db)
            else:
                counts["accepted"] += 1
                state["before"] = logical_dump(db)
            if time.perf_counter() - t0 > hang_s:
                counts["hangs"] += 1

        one()
        target.close()
    return {"counts": counts, "examples": examples}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON (last line)")
    parser.add_argument("--hang", type=float, default=10.0, help="seconds a case may take")
    args = parser.parse_args()
    result = run(args.cases, args.hang)
    counts = result["counts"]
    zero = ("crashes", "hangs", "refused_but_changed")
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
    if args.json:
        print(json.dumps({"figures": figures}))
    else:
        for f in figures:
            target = f" (target {f['target']})" if f["target"] is not None else ""
            print(f"{f['name']:<20} {f['value']}{target}  {'ok' if f['ok'] else 'MISSED'}")
    return 0 if all(f["ok"] for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
