"""The reader's shortcuts never change a verdict: raw-text prefilters, remembered files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exchange.helpers import new_assessment, open_db, set_stage, small_framework
from matrix_desktop.core.datafile import bracket_depth as _bracket_depth
from matrix_desktop.exchange.codec import ExchangeError, content_hash
from matrix_desktop.exchange.merge import Outcome
from matrix_desktop.exchange.reader import (
    _SMALL_FILE,
    _SUSPECT_ESCAPE,
    _bad_value,
    _depth,
    forget_accepted_files,
    parse_document,
)
from matrix_desktop.services.exchange_import import _local_hash

# Text with the characters the prefilters care about: brackets, quotes, backslashes,
# control characters, surrogates, and ordinary non-ASCII.
_TEXT = st.text(
    alphabet=st.sampled_from(list('ab[]{}"\\\t\n\x00\x07\x08\x0c\x1f\x7fé€😀\ud800\udfff')),
    max_size=12,
)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | _TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=30,
)


def _encodings(value: Any) -> list[bytes]:
    out = [json.dumps(value).encode("utf-8")]  # escapes everything non-ASCII
    try:
        out.append(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    except UnicodeEncodeError:  # lone surrogates cannot be written raw
        pass
    return out


@settings(max_examples=300, deadline=None)
@given(_JSON)
def test_bracket_depth_bounds_depth(value: Any) -> None:
    for raw in _encodings(value):
        assert _bracket_depth(raw) >= _depth(json.loads(raw))


@pytest.mark.parametrize(
    ("value", "depth"),
    [
        ([[[[1]]]], 4),
        ({"a": ["[[[{{", '\\"]]]', {"b": "\\\\"}]}, 3),
        (["\\", [[[1]]]], 4),  # an escaped backslash does not escape the closing quote
        (['\\"', [[[1]]]], 4),
        (["\\\\\\", "]]]", [[1]]], 3),
    ],
)
def test_bracket_depth_ignores_brackets_in_strings(value: Any, depth: int) -> None:
    for raw in _encodings(value):
        assert _bracket_depth(raw) == depth, raw


@settings(max_examples=300, deadline=None)
@given(_JSON)
def test_prefilter_finds_every_bad_character(value: Any) -> None:
    """When the walk would find a problem, the prefilter sends the file to the walk."""
    for raw in _encodings(value):
        if _bad_value(json.loads(raw), "") is not None:
            assert len(raw) > _SMALL_FILE or _SUSPECT_ESCAPE.search(raw), raw


@pytest.mark.parametrize(
    "char",
    [chr(c) for c in range(32) if chr(c) not in "\t\n\r"]
    + ["\ud800", "\udbff", "\udc00", "\udfff"],
)
def test_prefilter_finds_each_forbidden_character(char: str) -> None:
    value = {"k": ["ok", f"x{char}y"]}
    assert _bad_value(value, "") is not None
    for raw in _encodings(value):
        assert _SUSPECT_ESCAPE.search(raw), raw


@pytest.fixture()
def exported(tmp_path: Path):  # type: ignore[no-untyped-def]
    src = open_db(tmp_path / "src.sqlite3")
    a = new_assessment(src, small_framework())
    path = src.exchange.export([a.id], tmp_path / "one.mdx.json")
    src.close()
    return path, a


def test_identical_bytes_give_the_remembered_bundle(exported) -> None:  # type: ignore[no-untyped-def]
    path, _a = exported
    raw = path.read_bytes()
    forget_accepted_files()
    first = parse_document(raw, "x")
    assert parse_document(bytes(raw), "y") is first
    forget_accepted_files()
    again = parse_document(raw, "x")
    assert again is not first and again == first


def test_bad_files_are_not_remembered_and_changed_bytes_are_checked(exported) -> None:  # type: ignore[no-untyped-def]
    path, _a = exported
    raw = path.read_bytes()
    parse_document(raw, "good")
    damaged = raw.replace(b'"evidence":"ev 0"', b'"evidence":"ev 9"')
    assert damaged != raw
    for _ in range(2):
        with pytest.raises(ExchangeError, match="bad: checksum: does not match"):
            parse_document(damaged, "bad")


def test_repeat_import_still_compares_with_the_database(exported, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A remembered file still meets the database as it is now: local edits are seen."""
    path, a = exported
    target = open_db(tmp_path / "target.sqlite3")
    try:
        target.exchange.import_paths([path])
        plan = target.exchange.preview([path])
        assert [i.outcome for i in plan.items] == [Outcome.UNCHANGED]
        assert plan.items[0].local_hash == plan.items[0].content_hash
        assert not plan.has_changes
        fw = small_framework()
        set_stage(target, a.id, fw.domains[0].key, fw.stages[-1].key)
        plan = target.exchange.preview([path])
        item = plan.items[0]
        local = target.assessments.record(a.id)
        assert item.local_hash == content_hash(local) != item.content_hash
        assert item.reason == "this database already has these edits and newer ones"
    finally:
        target.close()


def test_local_hash_shortcut_matches_the_hash(exported, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path, a = exported
    target = open_db(tmp_path / "target.sqlite3")
    try:
        target.exchange.import_paths([path])
        rec = target.assessments.record(a.id)
        digest = content_hash(rec)
        assert _local_hash(rec, rec, digest) == digest
        reordered = type(rec)(rec.assessment, tuple(reversed(rec.ratings)), rec.votes)
        assert _local_hash(reordered, rec, digest) == digest
        bumped = type(rec)(rec.assessment.evolve(revision=99), rec.ratings, rec.votes)
        assert _local_hash(bumped, rec, "sha256:not-used") == digest
        edited = type(rec)(
            rec.assessment, (rec.ratings[0].evolve(evidence="new"), *rec.ratings[1:]), rec.votes
        )
        assert _local_hash(edited, rec, digest) == content_hash(edited) != digest
    finally:
        target.close()


def _verdict(raw: bytes) -> object:
    try:
        return parse_document(raw, "file").frameworks
    except ExchangeError as exc:
        return str(exc)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b'"format":1,', b'"format":true,'),
        (b'"format":1,', b'"format":1.0,'),
        (b'"number":1,', b'"number":true,'),
        (b'"number":1,', b'"number":1.0,'),
    ],
)
def test_value_equal_framework_changes_are_checked(exported, old: bytes, new: bytes) -> None:  # type: ignore[no-untyped-def]
    """1 -> true or 1.0 compares equal in Python; the remembered framework must not."""
    from matrix_desktop.exchange.codec import canonical_json, content_checksum

    path, _a = exported
    raw = path.read_bytes()
    forget_accepted_files()
    parse_document(raw, "good")  # its framework is known now
    changed = raw.replace(old, new, 1)
    assert changed != raw
    with pytest.raises(ExchangeError, match="file: checksum: does not match"):
        parse_document(changed, "file")
    doc = json.loads(changed)
    doc["checksum"] = content_checksum(doc)
    resigned = canonical_json(doc)
    warm = _verdict(resigned)
    forget_accepted_files()
    cold = _verdict(resigned)
    assert warm == cold
