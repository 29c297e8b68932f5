"""The lost-edit check of benchmarks/concurrency.py finds lost edits (and only those)."""

from __future__ import annotations

import importlib.util
import sys

import pytest
from storage_helpers import BENCHMARKS

from matrix_desktop.core.model import Action, Assessment, AssessmentRecord, Rating, Vote

AID = "a"
D = "leadership"


@pytest.fixture(scope="module")
def concurrency():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("concurrency", BENCHMARKS / "concurrency.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    saved = list(sys.path)  # the benchmark puts benchmarks/ and src/ on it
    sys.modules["concurrency"] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.path[:] = saved
        sys.modules.pop("concurrency", None)


def record(revision: int, votes=(), **rating) -> AssessmentRecord:  # type: ignore[no-untyped-def]
    a = Assessment(AID, "e", "fw", "v1", "r", revision=revision)
    return AssessmentRecord(a, (Rating(AID, D, **rating),), tuple(votes))


def write(rev: int, seen, new, field="stage", before=None, kind="rating", pid=None):  # type: ignore[no-untyped-def]
    return {
        "rev": rev,
        "client": 0,
        "seq": rev,
        "op": field,
        "kind": kind,
        "domain": D,
        "pid": pid,
        "field": field,
        "seen": seen,
        "new": new,
        "before": seen if before is None else before,
    }


def items(rev: int, field: str, added=(), removed=()):  # type: ignore[no-untyped-def]
    return {
        "rev": rev,
        "client": 0,
        "seq": rev,
        "op": field,
        "kind": "rating",
        "domain": D,
        "pid": None,
        "field": field,
        "added": list(added),
        "removed": list(removed),
    }


def test_a_chain_of_writes_each_seeing_the_last_loses_nothing(concurrency):
    entries = [write(2, None, "developing"), write(3, "developing", "maturing")]
    result = concurrency.check(record(1), record(3, stage="maturing"), entries)
    assert (result["lost"], result["present"], result["superseded"]) == (0, 1, 1)
    # The same value written from an older view counts once: nothing lost.
    entries.append(write(4, "developing", "maturing", before="maturing"))
    assert concurrency.check(record(1), record(4, stage="maturing"), entries)["lost"] == 0


def test_a_write_over_a_value_its_user_never_saw_is_a_lost_edit(concurrency):
    entries = [write(2, None, "developing"), write(3, None, "maturing", before="developing")]
    result = concurrency.check(record(1), record(3, stage="maturing"), entries)
    assert result["lost"] == 1 and "overwrote rev 2 unseen" in result["problems"][0]


def test_a_final_value_other_than_the_last_write_is_a_lost_edit(concurrency):
    entries = [write(2, "", "x", field="evidence"), write(3, "x", "y", field="evidence")]
    result = concurrency.check(record(1), record(3, evidence="x"), entries)
    assert result["lost"] == 1


def test_views_are_checked_per_participant(concurrency):
    entries = [
        write(2, None, "developing", kind="vote", pid="p1"),
        write(3, None, "thriving", kind="vote", pid="p2"),
    ]
    votes = (Vote(AID, "p1", D, "developing"), Vote(AID, "p2", D, "thriving"))
    assert concurrency.check(record(1), record(3, votes=votes), entries)["lost"] == 0
    assert concurrency.check(record(1), record(3, votes=votes[:1]), entries)["lost"] == 1


def test_appended_actions_must_be_there_unless_undone(concurrency):
    kept, undone = Action("k", "kept"), Action("u", "undone")
    entries = [
        items(2, "actions", added=["k"]),
        items(3, "actions", added=["u"]),
        items(4, "actions", removed=["u"]),  # its client undid it
    ]
    final = record(4, actions=(kept,))
    result = concurrency.check(record(1), final, entries)
    assert result["lost"] == 0 and result["present"] == 2 and result["superseded"] == 1
    assert concurrency.check(record(1), record(4), entries)["lost"] == 1  # kept is missing
    assert concurrency.check(record(1), record(4, actions=(kept, undone)), entries)["lost"] == 1


def test_ticks_follow_the_last_committed_tick_or_untick(concurrency):
    sid = "leadership.developing.1"
    entries = [items(2, "statements_met", added=[sid]), items(3, "statements_met", removed=[sid])]
    assert concurrency.check(record(1), record(3), entries)["lost"] == 0
    result = concurrency.check(record(1), record(3, statements_met=(sid,)), entries)
    assert result["lost"] == 1


def test_a_lost_or_repeated_revision_counts(concurrency):
    entries = [write(2, None, "developing"), write(3, "developing", "maturing")]
    assert concurrency.check(record(1), record(4, stage="maturing"), entries)["lost"] == 1
    entries[1]["rev"] = 2
    assert concurrency.check(record(1), record(3, stage="maturing"), entries)["lost"] >= 1
