"""Hypothesis: valid exchange and framework files are accepted and round-trip; broken ones are
refused and the database stays as it was.

Valid files come from tests/exchange/fuzz_files.py (whole generated documents, and mutations
that keep them valid); broken ones from the mutations below, applied to a small exported
file and to generated ones.

Mutations are chosen so that each one makes the file invalid (a truncated file, a changed
byte, a wrong type, an unknown key, a control character, an over-long string, a malformed id,
a stage the framework lacks, a repeated record, a newer format, a missing framework, deep
nesting, a missing required key). Re-signed mutations get a fresh checksum, so they reach the
deeper checks rather than stopping at the checksum.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from exchange.helpers import logical_dump, new_assessment, open_db, small_framework
from matrix_desktop.exchange.codec import ExchangeError, content_checksum
from matrix_desktop.exchange.merge import Outcome

EXAMPLES = 150  # a fast subset; benchmarks/fuzz.py --cases 10000 runs the long one
VALID_EXAMPLES = 15
REQUIRED = {
    "": ["format", "format_version", "exported_at"],
    "assessments[]": [
        "id",
        "entity_id",
        "round_id",
        "framework",
        "kind",
        "status",
        "created_at",
        "modified_at",
        "revision",
    ],
    "assessments[].ratings[]": ["domain"],
    "assessments[].votes[]": ["participant_id", "domain", "stage"],
    "assessments[].participants[]": ["id", "name"],
    "systems[]": ["id", "name"],
    "entities[]": ["id", "system_id", "name", "kind"],
    "rounds[]": ["id", "name"],
}
UNIQUE_LISTS = [
    "frameworks",
    "systems",
    "entities",
    "rounds",
    "assessments",
    "assessments[].ratings",
    "assessments[].votes",
    "assessments[].participants",
]
ID_KEYS = {"id", "entity_id", "round_id", "system_id", "participant_id", "reviews_id"}
SKIP_KEYS = {"checksum", "content_hash", "shared_hashes"}
MESSAGES: list[str] = []


@pytest.fixture(scope="module")
def world(tmp_path_factory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("fuzz")
    src = open_db(path / "src.sqlite3")
    a = new_assessment(src, small_framework())
    good = src.exchange.export([a.id], path / "good.mdx.json").read_bytes()
    src.close()
    target = open_db(path / "target.sqlite3")
    before = logical_dump(path / "target.sqlite3")
    yield target, path, good, before
    target.close()


def _paths(value: Any, path: tuple = ()) -> list[tuple]:  # type: ignore[type-arg]
    """Return every path into the document (tuples of keys and indexes) but the sync fields."""
    out = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            if k not in SKIP_KEYS:
                out += _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*path, i))
    return out


def _shape(path: tuple) -> str:  # type: ignore[type-arg]
    text = ""
    for part in path:
        text += "[]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _get(doc: Any, path: tuple) -> Any:  # type: ignore[type-arg]
    for part in path:
        doc = doc[part]
    return doc


def _set(doc: Any, path: tuple, value: Any) -> None:  # type: ignore[type-arg]
    _get(doc, path[:-1])[path[-1]] = value


def _wrong_type(value: Any) -> Any:
    if isinstance(value, bool):
        return "maybe"
    if isinstance(value, int):
        return "twelve"
    if isinstance(value, str):
        return 12345
    if value is None:
        return 3.5
    if isinstance(value, list):
        return {"x": 1}
    return [1]


def _mutate_doc(doc: dict, kind: str, data: st.DataObject) -> None:  # type: ignore[type-arg]
    paths = _paths(doc)
    leaves = [p for p in paths if p and not isinstance(_get(doc, p), dict | list)]
    strings = [p for p in leaves if isinstance(_get(doc, p), str)]
    if kind == "wrong_type":
        p = data.draw(st.sampled_from([p for p in paths if p]))
        _set(doc, p, _wrong_type(_get(doc, p)))
    elif kind == "unknown_key":
        dicts = [p for p in paths if isinstance(_get(doc, p), dict)]
        p = data.draw(st.sampled_from(dicts))
        _get(doc, p)["zz_" + data.draw(st.text("abcdefgh", min_size=1, max_size=6))] = 1
    elif kind == "control_char":
        p = data.draw(st.sampled_from(strings))
        ch = chr(data.draw(st.sampled_from([0, 1, 7, 8, 11, 12, 27, 31])))
        s = _get(doc, p)
        at = data.draw(st.integers(0, len(s)))
        _set(doc, p, s[:at] + ch + s[at:])
    elif kind == "too_long":
        _set(doc, data.draw(st.sampled_from(strings)), "x" * 200_001)
    elif kind == "bad_id":
        ids = [p for p in leaves if p[-1] in ID_KEYS and isinstance(_get(doc, p), str)]
        bad = data.draw(
            st.sampled_from(["", "not-an-id", "A" * 36, "12345678-1234-1234-1234-12345678901"])
        )
        _set(doc, data.draw(st.sampled_from(ids)), bad)
    elif kind == "bad_stage":
        stages = [p for p in leaves if p[-1] == "stage"]
        _set(
            doc,
            data.draw(st.sampled_from(stages)),
            data.draw(st.sampled_from(["superb", "stage-9", "x"])),
        )
    elif kind == "duplicate":
        lists = [p for p in paths if _shape(p) in UNIQUE_LISTS and _get(doc, p)]
        p = data.draw(st.sampled_from(lists))
        items = _get(doc, p)
        items.append(json.loads(json.dumps(data.draw(st.sampled_from(items)))))
    elif kind == "newer_version":
        doc["format_version"] = data.draw(st.integers(2, 10**6))
    elif kind == "no_framework":
        doc["frameworks"] = []
    elif kind == "deep":
        p = data.draw(st.sampled_from(leaves))
        value: Any = "deep"
        for _ in range(data.draw(st.integers(21, 60))):
            value = [value]
        _set(doc, p, value)
    elif kind == "missing_key":
        choices = [
            (p, k)
            for p in paths
            if isinstance(_get(doc, p), dict) and _shape(p) in REQUIRED
            for k in REQUIRED[_shape(p)]
            if k in _get(doc, p)
        ]
        p, k = data.draw(st.sampled_from(choices))
        del _get(doc, p)[k]


DOC_KINDS = [
    "wrong_type",
    "unknown_key",
    "control_char",
    "too_long",
    "bad_id",
    "bad_stage",
    "duplicate",
    "newer_version",
    "no_framework",
    "deep",
    "missing_key",
]


def _mutated(good: bytes, data: st.DataObject) -> bytes:
    kind = data.draw(st.sampled_from(["truncate", "flip_byte", *DOC_KINDS]), label="mutation")
    if kind == "truncate":
        return good[: data.draw(st.integers(0, len(good) - 2))]
    if kind == "flip_byte":
        # Not inside exported_at (not covered by the checksum) nor the final newline.
        start = good.index(b'"exported_at":"') + len(b'"exported_at":"')
        end = good.index(b'"', start)
        at = data.draw(st.integers(0, len(good) - 2).filter(lambda i: not start <= i < end))
        byte = data.draw(st.integers(0, 255).filter(lambda b: b != good[at]))
        return good[:at] + bytes([byte]) + good[at + 1 :]
    doc = json.loads(good)
    _mutate_doc(doc, kind, data)
    for a in doc.get("assessments", []):
        if isinstance(a, dict):
            a.pop("content_hash", None)
    if data.draw(st.booleans(), label="re-sign") or kind == "bad_stage":
        doc["checksum"] = content_checksum(doc)
    return json.dumps(doc, ensure_ascii=False).encode("utf-8", "surrogatepass")


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=list(HealthCheck),
)
@given(data=st.data())
def test_mutated_files_are_refused(world, data: st.DataObject) -> None:  # type: ignore[no-untyped-def]
    target, path, good, before = world
    raw = _mutated(good, data)
    f = path / "mutated.mdx.json"
    f.write_bytes(raw)
    with pytest.raises(ExchangeError) as info:
        target.exchange.import_paths([f])
    message = str(info.value)
    assert message.startswith(f"{f}: ") and len(message) > len(str(f)) + 5
    assert logical_dump(path / "target.sqlite3") == before
    MESSAGES.append(message[len(str(f)) + 2 :])


def test_fuzzing_reached_the_deep_checks(world) -> None:  # type: ignore[no-untyped-def]
    # Runs after the fuzz test (file order): the mutations must not all stop at the checksum.
    if len(MESSAGES) < EXAMPLES * 0.9:
        pytest.skip("the fuzz test did not run in full")
    reached = {
        "checksum": any(m.startswith("checksum") for m in MESSAGES),
        "schema": any("Extra inputs" in m for m in MESSAGES),
        "stage": any("is not a stage of" in m for m in MESSAGES),
        "framework": any("neither in the file nor" in m for m in MESSAGES),
        "json": any("not valid JSON" in m for m in MESSAGES),
    }
    assert all(reached.values()), reached


def test_fuzz_benchmark_reports_no_crash_hang_or_change(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # benchmarks/fuzz.py: the same mutations plus hostile ones, through the real import.
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, str(root / "benchmarks" / "fuzz.py"), "--cases", "60", "--json"],
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    figures = {f["name"]: f["value"] for f in json.loads(result.stdout.splitlines()[-1])["figures"]}
    assert figures["files_tried"] == 60
    assert figures["accepted"] > 0 and figures["refused"] > 0
    for name in (
        "crashes",
        "hangs",
        "refused_but_changed",
        "valid_refused",
        "broken_accepted",
        "round_trip_failures",
    ):
        assert figures[name] == 0, (name, result.stderr)


# -- valid files: accepted, and each round-trips ----------------------------------------


@pytest.fixture(scope="module")
def accepting(tmp_path_factory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("accepting")
    svc = open_db(path / "accepting.sqlite3")
    yield svc, path, iter(range(10**9))
    svc.close()


@settings(
    max_examples=VALID_EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
@given(data=st.data())
def test_valid_exchange_files_are_accepted_and_round_trip(accepting, data: st.DataObject) -> None:  # type: ignore[no-untyped-def]
    from exchange.fuzz_files import exchange_round_trip_problem, keep_valid, valid_exchange

    svc, path, counter = accepting
    tag = f"t{next(counter)}"
    raw = keep_valid(valid_exchange(data, tag), data)
    f = path / f"{tag}.mdx.json"
    f.write_bytes(raw)
    result = svc.exchange.import_paths([f])
    assert result.plan.count(Outcome.NEW) == len(result.plan.items) >= 1
    assert exchange_round_trip_problem(svc, raw, path / f"{tag}.back.mdx.json") is None


@settings(
    max_examples=VALID_EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
@given(data=st.data())
def test_valid_framework_files_are_accepted_and_round_trip(accepting, data: st.DataObject) -> None:  # type: ignore[no-untyped-def]
    from exchange.fuzz_files import framework_round_trip_problem, framework_text, valid_framework
    from matrix_desktop.core.framework_file import read_framework_file

    svc, path, counter = accepting
    tag = f"f{next(counter)}"
    suffix, text = framework_text(valid_framework(data, tag), data)
    f = path / f"{tag}{suffix}"
    f.write_text(text, encoding="utf-8")
    fw = read_framework_file(f)
    assert svc.catalog.import_framework(fw)
    assert framework_round_trip_problem(svc, fw, path / f"{tag}.back.yaml") is None


@settings(
    max_examples=VALID_EXAMPLES * 2,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
@given(data=st.data())
def test_broken_generated_files_are_refused(world, data: st.DataObject) -> None:  # type: ignore[no-untyped-def]
    from exchange.fuzz_files import break_framework, sign, valid_exchange, valid_framework
    from matrix_desktop.core.errors import DataFileError
    from matrix_desktop.core.framework_file import read_framework_file

    target, path, _good, before = world
    if data.draw(st.booleans(), label="framework file"):
        suffix, text = break_framework(valid_framework(data, "b"), data)
        f = path / f"broken{suffix}"
        f.write_text(text, encoding="utf-8")
        with pytest.raises(DataFileError) as info:
            read_framework_file(f)
    else:
        doc = valid_exchange(data, "b")
        kind = data.draw(st.sampled_from([k for k in DOC_KINDS if k != "bad_stage"]))
        _mutate_doc(doc, kind, data)
        if data.draw(st.booleans(), label="re-sign"):
            sign(doc)
        f = path / "broken.mdx.json"
        f.write_bytes(json.dumps(doc, ensure_ascii=False).encode("utf-8", "surrogatepass"))
        with pytest.raises(ExchangeError) as info:
            target.exchange.import_paths([f])
    assert str(info.value).startswith(f"{f}: ")
    assert logical_dump(path / "target.sqlite3") == before
