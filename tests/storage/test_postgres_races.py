"""Races on a shared PostgreSQL server: two (or five) copies of the app editing one draft.

Each copy is its own service stack (open_services on the same URL, its own connections).
Edits made from the same screen state either merge (different fields, list items) or the
later one is refused with an EditConflict; nothing is overwritten unseen, no revision is
lost, and a finalise never covers a change made after the revision it was shown.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from matrix_desktop.core.errors import EditConflict, FinalisedError, StaleError
from matrix_desktop.core.framework import EntityKind
from matrix_desktop.core.model import Action, Status, new_id
from matrix_desktop.services.context import Services, open_services

SYB = "syb-place-development-matrix"
DOMAIN = "leadership"
TIMEOUT = 60  # seconds any one race may take before the test fails
SRC = Path(__file__).resolve().parents[2] / "src"


def _draft(url: str, people: int = 3) -> str:
    svc = open_services(url, user="setup")
    try:
        fw = svc.catalog.framework(SYB)
        system = svc.catalog.create_system("Race ICS")
        place = svc.catalog.create_entity(system.id, "Race Place", EntityKind.PLACE_PARTNERSHIP)
        participants = [(f"Partner {n}", "") for n in range(1, people + 1)]
        return svc.assessments.create(place.id, fw, "2030 Q1", participants=participants).id
    finally:
        svc.close()


@pytest.fixture
def stacks(pg_url):  # type: ignore[no-untyped-def]
    """A draft and two copies of the app on it: (assessment id, alice, bob)."""
    aid = _draft(pg_url)
    alice, bob = open_services(pg_url, user="alice"), open_services(pg_url, user="bob")
    yield aid, alice, bob
    alice.close()
    bob.close()


def race(*calls: Callable[[], object]) -> list[tuple[str, object]]:
    """Run the calls at once on threads (released together); returns (ok|error, value) each."""
    barrier = threading.Barrier(len(calls))
    results: list[tuple[str, object]] = [("missing", None)] * len(calls)

    def run(i: int, call: Callable[[], object]) -> None:
        barrier.wait(TIMEOUT)
        try:
            results[i] = ("ok", call())
        except Exception as exc:  # the outcome under test
            results[i] = ("error", exc)

    threads = [threading.Thread(target=run, args=(i, c), daemon=True) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT)
    assert not any(t.is_alive() for t in threads), "a racing edit did not finish"
    return results


def _edit(svc: Services, aid: str, seen, **changes):  # type: ignore[no-untyped-def]
    return lambda: svc.assessments.execute(
        svc.assessments.edit_rating(aid, seen.domain_key, seen=seen, **changes)
    )


def test_different_fields_from_the_same_screen_are_both_kept(stacks):
    aid, alice, bob = stacks
    fw = alice.catalog.framework(SYB)
    for n, domain in enumerate(fw.domains[:6]):
        screen = alice.assessments.record(aid)
        seen = screen.rating(domain.key)
        results = race(
            _edit(alice, aid, seen, stage=fw.stages[n % 4].key),
            _edit(bob, aid, seen, evidence=f"bob's evidence {n}"),
        )
        assert [r[0] for r in results] == ["ok", "ok"], results
        now = bob.assessments.record(aid)
        assert now.rating(domain.key).stage == fw.stages[n % 4].key
        assert now.rating(domain.key).evidence == f"bob's evidence {n}"
        assert now.assessment.revision == screen.assessment.revision + 2


def test_same_field_the_second_writer_gets_a_conflict_and_nothing_is_overwritten(stacks):
    aid, alice, bob = stacks
    alice.assessments.execute(alice.assessments.edit_rating(aid, DOMAIN, evidence="original"))
    seen = bob.assessments.record(aid).rating(DOMAIN)
    alice.assessments.execute(alice.assessments.edit_rating(aid, DOMAIN, seen=seen, evidence="A"))
    mine = bob.assessments.edit_rating(aid, DOMAIN, seen=seen, evidence="B")
    with pytest.raises(EditConflict) as caught:
        bob.assessments.execute(mine)
    (conflict,) = caught.value.conflicts
    assert (conflict.field, conflict.base, conflict.theirs, conflict.mine) == (
        "evidence",
        "original",
        "A",
        "B",
    )
    assert alice.assessments.record(aid).rating(DOMAIN).evidence == "A"
    # Keeping mine replaces theirs, and the audit says so (not the value Bob saw).
    bob.assessments.execute(caught.value.command.keep_mine(caught.value.conflicts))
    assert alice.assessments.record(aid).rating(DOMAIN).evidence == "B"
    assert alice.assessments.audit(aid)[0].detail == "evidence: A -> B"

    # At the same moment: exactly one wins; the loser changes nothing.
    for n in range(10):
        screen = alice.assessments.record(aid)
        seen = screen.rating(DOMAIN)
        a = alice.assessments.edit_rating(aid, DOMAIN, seen=seen, evidence=f"alice {n}")
        b = bob.assessments.edit_rating(aid, DOMAIN, seen=seen, evidence=f"bob {n}")
        results = race(
            lambda a=a: alice.assessments.execute(a), lambda b=b: bob.assessments.execute(b)
        )
        outcomes = sorted(r[0] for r in results)
        assert outcomes == ["error", "ok"], results
        loser = next(r[1] for r in results if r[0] == "error")
        assert isinstance(loser, EditConflict) and loser.fields == ["evidence"]
        winner = a if results[0][0] == "ok" else b
        stored = bob.assessments.record(aid)
        assert stored.rating(DOMAIN).evidence == winner.new["evidence"]
        assert stored.assessment.revision == screen.assessment.revision + 1
        assert winner.before == {"evidence": seen.evidence}  # the value really replaced
        event = alice.assessments.audit(aid)[0]
        assert event.detail == f"evidence: {seen.evidence} -> {winner.new['evidence']}"
        assert event.user == ("alice" if winner is a else "bob")


def test_two_people_adding_actions_at_once_both_are_kept(stacks):
    aid, alice, bob = stacks
    added: list[str] = []
    for n in range(8):
        seen = alice.assessments.record(aid).rating(DOMAIN)
        mine = Action(new_id(), f"alice action {n}")
        theirs = Action(new_id(), f"bob action {n}")
        added += [mine.id, theirs.id]
        results = race(
            _edit(alice, aid, seen, actions=(*seen.actions, mine)),
            _edit(bob, aid, seen, actions=(*seen.actions, theirs)),
        )
        assert [r[0] for r in results] == ["ok", "ok"], results
    stored = bob.assessments.record(aid).rating(DOMAIN).actions
    assert sorted(a.id for a in stored) == sorted(added)


def test_finalise_racing_an_edit_never_finalises_a_change_it_did_not_see(stacks):
    aid, alice, bob = stacks
    fw = alice.catalog.framework(SYB)
    outcomes = set()
    for n in range(16):
        screen = alice.assessments.record(aid)
        seen = screen.rating(DOMAIN)
        new_stage = next(s.key for s in fw.stages[n % 2 :] if s.key != seen.stage)
        finalise = alice.assessments.finalise(aid, screen.assessment.revision)
        results = race(
            lambda f=finalise: alice.assessments.execute(f),
            _edit(bob, aid, seen, stage=new_stage),
        )
        stored = bob.assessments.record(aid)
        fin, edit = results
        if stored.assessment.status is Status.FINAL:
            outcomes.add("finalised first")
            assert fin[0] == "ok" and isinstance(edit[1], FinalisedError), results
            assert stored.rating(DOMAIN) == seen, "final with a rating changed after it was seen"
            assert stored.assessment.revision == screen.assessment.revision + 1
            alice.assessments.execute(alice.assessments.reopen(aid, "next round of the race"))
        else:
            outcomes.add("edited first")
            assert isinstance(fin[1], StaleError) and edit[0] == "ok", results
            assert stored.rating(DOMAIN).stage == new_stage
            assert stored.assessment.revision == screen.assessment.revision + 1
    assert outcomes  # (which orders occur depends on scheduling; each is checked above)


def test_undo_after_someone_else_changed_the_field_is_a_conflict(stacks):
    aid, alice, bob = stacks
    mine = alice.assessments.edit_rating(aid, DOMAIN, stage="developing", evidence="alice")
    alice.assessments.execute(mine)
    bob.assessments.execute(bob.assessments.edit_rating(aid, DOMAIN, evidence="bob"))
    revision = bob.assessments.get(aid).revision
    with pytest.raises(EditConflict) as caught:
        alice.assessments.revert(mine)
    assert caught.value.fields == ["evidence"]
    stored = bob.assessments.record(aid)
    assert (stored.rating(DOMAIN).stage, stored.rating(DOMAIN).evidence) == ("developing", "bob")
    assert stored.assessment.revision == revision
    # Undo of a field nobody else touched still works.
    only_stage = alice.assessments.edit_rating(aid, "governance", stage="thriving")
    alice.assessments.execute(only_stage)
    bob.assessments.execute(bob.assessments.edit_rating(aid, "governance", evidence="bob"))
    alice.assessments.revert(only_stage)
    assert bob.assessments.record(aid).rating("governance").stage is None
    assert bob.assessments.record(aid).rating("governance").evidence == "bob"


def test_five_writers_appending_actions_at_once_lose_none(pg_url):
    aid = _draft(pg_url)
    writers = [open_services(pg_url, user=f"writer{w}") for w in range(5)]
    per_writer = 20
    try:
        start = writers[0].assessments.get(aid).revision
        revisions: list[list[int]] = [[] for _ in writers]

        def append(w: int) -> None:
            svc = writers[w]
            # The screen is read once: every later edit is made from an older view.
            seen = svc.assessments.record(aid).rating(DOMAIN)
            for n in range(per_writer):
                action = Action(new_id(), f"writer {w} action {n}")
                change = svc.assessments.execute(
                    svc.assessments.edit_rating(
                        aid, DOMAIN, seen=seen, actions=(*seen.actions, action)
                    )
                )
                revisions[w].append(change.revision)  # type: ignore[arg-type]

        results = race(*(lambda w=w: append(w) for w in range(len(writers))))
        assert all(r[0] == "ok" for r in results), results
        record = writers[0].assessments.record(aid)
        whats = sorted(a.what for a in record.rating(DOMAIN).actions)
        expected = sorted(f"writer {w} action {n}" for w in range(5) for n in range(per_writer))
        assert whats == expected
        total = 5 * per_writer
        assert record.assessment.revision == start + total
        assert sorted(r for rs in revisions for r in rs) == list(
            range(start + 1, start + total + 1)
        )
        audit = [e for e in writers[0].assessments.audit(aid) if e.action == "rating"]
        assert len(audit) == total
    finally:
        for svc in writers:
            svc.close()


def test_cli_edits_on_postgres_run_at_once(pg_url):
    """No lock file for a server database: several `rating set` commands run together."""
    aid = _draft(pg_url)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "matrix_desktop",
                "--database",
                pg_url,
                "rating",
                "set",
                aid,
                DOMAIN,
                "--add-action",
                f"from the command line {n}",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(3)
    ]
    for p in procs:
        out, err = p.communicate(timeout=TIMEOUT)
        assert p.returncode == 0, err
    svc = open_services(pg_url)
    try:
        whats = sorted(a.what for a in svc.assessments.record(aid).rating(DOMAIN).actions)
    finally:
        svc.close()
    assert whats == [f"from the command line {n}" for n in range(3)]
