"""Two people editing one draft (two service stacks on one SQLite file): nothing is lost.

Each test reproduces a race from the issue "Shared work without loss" with a forced
interleaving: both users read the same screen state, then both commit.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event

from matrix_desktop.core.errors import EditConflict, FinalisedError, StaleError
from matrix_desktop.core.model import Action, Confidence, new_id
from matrix_desktop.services.context import open_services

DOMAIN = "leadership"


@pytest.fixture
def two(services, place, syb, tmp_path):  # type: ignore[no-untyped-def]
    """(ann, bob, assessment): two service stacks on one database and a shared draft."""
    a = services.assessments.create(
        place.id, syb, "2021/22 Q2", participants=[("Ann", ""), ("Bob", "")]
    )
    other = open_services(services.db.path, user="bob")
    yield services, other, a
    other.close()


def _screen(svc, aid):  # type: ignore[no-untyped-def]
    return svc.assessments.record(aid)


def test_stage_and_evidence_from_the_same_screen_both_stand(two):
    ann, bob, a = two
    seen_a, seen_b = _screen(ann, a.id), _screen(bob, a.id)
    ann.assessments.execute(
        ann.assessments.edit_rating(a.id, DOMAIN, seen=seen_a.rating(DOMAIN), stage="developing")
    )
    bob.assessments.execute(
        bob.assessments.edit_rating(a.id, DOMAIN, seen=seen_b.rating(DOMAIN), evidence="Minutes")
    )
    r = ann.assessments.record(a.id).rating(DOMAIN)
    assert (r.stage, r.evidence) == ("developing", "Minutes")


def test_same_field_is_a_conflict_and_nothing_is_overwritten(two):
    ann, bob, a = two
    seen = _screen(ann, a.id).rating(DOMAIN)
    ann.assessments.execute(ann.assessments.edit_rating(a.id, DOMAIN, seen=seen, evidence="Ann's"))
    cmd = bob.assessments.edit_rating(a.id, DOMAIN, seen=seen, evidence="Bob's")
    with pytest.raises(EditConflict) as caught:
        bob.assessments.execute(cmd)
    (conflict,) = caught.value.conflicts
    assert (conflict.field, conflict.base, conflict.mine, conflict.theirs) == (
        "evidence",
        "",
        "Bob's",
        "Ann's",
    )
    assert "Evidence" in str(caught.value)
    assert ann.assessments.record(a.id).rating(DOMAIN).evidence == "Ann's"
    # Bob chooses to keep his: checked against Ann's value, which he has now seen.
    bob.assessments.execute(cmd.keep_mine(caught.value.conflicts))
    assert ann.assessments.record(a.id).rating(DOMAIN).evidence == "Bob's"
    last = ann.assessments.audit(a.id)[0]
    assert "Ann's -> Bob's" in last.detail  # the audit's "before" is the value replaced


def test_the_same_change_on_both_sides_counts_once(two):
    ann, bob, a = two
    seen = _screen(ann, a.id).rating(DOMAIN)
    ann.assessments.execute(ann.assessments.edit_rating(a.id, DOMAIN, seen=seen, stage="maturing"))
    bob.assessments.execute(bob.assessments.edit_rating(a.id, DOMAIN, seen=seen, stage="maturing"))
    assert ann.assessments.record(a.id).rating(DOMAIN).stage == "maturing"


def test_statement_ticks_and_actions_merge_item_by_item(two, syb):
    ann, bob, a = two
    statements = [s.id for s in syb.domain(DOMAIN).statements][:2]
    seen = _screen(ann, a.id).rating(DOMAIN)
    for svc, sid, what in ((ann, statements[0], "Ann's"), (bob, statements[1], "Bob's")):
        svc.assessments.execute(
            svc.assessments.edit_rating(
                a.id,
                DOMAIN,
                seen=seen,
                statements_met=(sid,),
                actions=(Action(new_id(), what),),
            )
        )
    r = ann.assessments.record(a.id).rating(DOMAIN)
    assert set(r.statements_met) == set(statements)
    assert [x.what for x in r.actions] == ["Ann's", "Bob's"]


def test_undo_touches_only_its_fields_and_conflicts_when_someone_changed_them(two):
    ann, bob, a = two
    seen = _screen(ann, a.id).rating(DOMAIN)
    mine = ann.assessments.edit_rating(a.id, DOMAIN, seen=seen, stage="developing", evidence="A")
    ann.assessments.execute(mine)
    now = _screen(bob, a.id).rating(DOMAIN)
    bob.assessments.execute(
        bob.assessments.edit_rating(a.id, DOMAIN, seen=now, confidence=Confidence.HIGH)
    )
    ann.assessments.revert(mine)  # Bob's confidence stands
    r = ann.assessments.record(a.id).rating(DOMAIN)
    assert (r.stage, r.evidence, r.confidence) == (None, "", Confidence.HIGH)
    ann.assessments.execute(mine)  # redo
    now = _screen(bob, a.id).rating(DOMAIN)
    bob.assessments.execute(bob.assessments.edit_rating(a.id, DOMAIN, seen=now, evidence="B"))
    with pytest.raises(EditConflict):
        ann.assessments.revert(mine)
    assert ann.assessments.record(a.id).rating(DOMAIN).evidence == "B"


def test_finalise_over_unseen_changes_is_refused(two):
    ann, bob, a = two
    seen = _screen(ann, a.id)
    now = _screen(bob, a.id)
    bob.assessments.execute(
        bob.assessments.edit_details(a.id, seen=now.assessment, strengths="Bob's narrative")
    )
    with pytest.raises(StaleError):
        ann.assessments.execute(ann.assessments.finalise(a.id, seen.assessment.revision))
    fresh = _screen(ann, a.id)
    ann.assessments.execute(ann.assessments.finalise(a.id, fresh.assessment.revision))
    final = ann.assessments.record(a.id).assessment
    assert final.is_final and final.strengths == "Bob's narrative"
    with pytest.raises(FinalisedError):
        bob.assessments.execute(
            bob.assessments.edit_rating(a.id, DOMAIN, seen=now.rating(DOMAIN), stage="thriving")
        )
    assert ann.assessments.record(a.id).rating(DOMAIN).stage is None


def test_finalise_racing_an_edit_in_another_thread_never_ends_final_with_a_changed_rating(two):
    ann, bob, a = two
    seen = _screen(ann, a.id)
    started, go = threading.Event(), threading.Event()
    outcome: dict = {}

    # Hold Bob's edit inside its transaction, after its first statement, until Ann tries.
    @event.listens_for(bob.db.engine, "after_cursor_execute")
    def _pause(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("UPDATE ASSESSMENT") and not started.is_set():
            started.set()
            go.wait(5)

    def bob_edits() -> None:
        try:
            bob.assessments.execute(
                bob.assessments.edit_rating(
                    a.id, DOMAIN, seen=seen.rating(DOMAIN), stage="thriving"
                )
            )
            outcome["bob"] = "saved"
        except Exception as exc:  # noqa: BLE001 - recorded for the assertion
            outcome["bob"] = type(exc).__name__

    t = threading.Thread(target=bob_edits)
    t.start()
    assert started.wait(5)
    finaliser = threading.Thread(
        target=lambda: outcome.setdefault(
            "ann",
            _try(
                lambda: ann.assessments.execute(
                    ann.assessments.finalise(a.id, seen.assessment.revision)
                )
            ),
        )
    )
    finaliser.start()
    go.set()
    t.join(10)
    finaliser.join(10)
    event.remove(bob.db.engine, "after_cursor_execute", _pause)
    rec = ann.assessments.record(a.id)
    assert outcome["bob"] == "saved"
    assert outcome["ann"] == "StaleError"
    assert not rec.assessment.is_final and rec.rating(DOMAIN).stage == "thriving"


def _try(fn):  # type: ignore[no-untyped-def]
    try:
        fn()
        return "saved"
    except Exception as exc:  # noqa: BLE001
        return type(exc).__name__


def test_votes_from_the_same_screen_merge_and_clash_per_participant(two):
    ann, bob, a = two
    rec = _screen(ann, a.id)
    p1, p2 = (p.id for p in rec.assessment.participants)
    ann.assessments.execute(ann.assessments.set_vote(a.id, p1, DOMAIN, "developing"))
    bob.assessments.execute(bob.assessments.set_vote(a.id, p2, DOMAIN, "maturing"))
    from matrix_desktop.core.model import Vote

    stale = Vote(a.id, p1, DOMAIN, None)
    with pytest.raises(EditConflict):
        bob.assessments.execute(bob.assessments.set_vote(a.id, p1, DOMAIN, "thriving", seen=stale))
    votes = {v.participant_id: v.stage for v in ann.assessments.record(a.id).votes}
    assert votes == {p1: "developing", p2: "maturing"}


def test_revision_counts_every_edit_from_many_threads(two):
    ann, bob, a = two
    start = _screen(ann, a.id).assessment.revision
    errors: list = []

    def add(svc, who):  # type: ignore[no-untyped-def]
        for n in range(15):
            seen = svc.assessments.record(a.id).rating(DOMAIN)
            try:
                svc.assessments.execute(
                    svc.assessments.edit_rating(
                        a.id,
                        DOMAIN,
                        seen=seen,
                        actions=(*seen.actions, Action(new_id(), f"{who} {n}")),
                    )
                )
            except Exception as exc:  # noqa: BLE001
                errors.append(exc)

    threads = [threading.Thread(target=add, args=(s, w)) for s, w in ((ann, "a"), (bob, "b"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    rec = ann.assessments.record(a.id)
    assert len(rec.rating(DOMAIN).actions) == 30
    assert rec.assessment.revision == start + 30


def test_one_edit_is_one_transaction_of_at_most_six_statements(two):
    ann, _bob, a = two
    statements: list[str] = []

    @event.listens_for(ann.db.engine, "before_cursor_execute")
    def _count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        statements.append(statement.split()[0].upper())

    seen = _screen(ann, a.id).rating(DOMAIN)
    ann.assessments.execute(ann.assessments.edit_rating(a.id, DOMAIN, seen=seen, stage="maturing"))
    seen = _screen(ann, a.id).rating(DOMAIN)
    statements.clear()
    ann.assessments.execute(ann.assessments.edit_rating(a.id, DOMAIN, seen=seen, evidence="x"))
    event.remove(ann.db.engine, "before_cursor_execute", _count)
    work = [s for s in statements if s not in ("BEGIN", "COMMIT", "ROLLBACK")]
    assert statements.count("BEGIN") == 1
    assert len(work) <= 6, statements
