"""Assessments through the services: create, edit by command, undo, finalise, audit."""

from __future__ import annotations

import pytest

from matrix_desktop.core.errors import FinalisedError, ValidationFailed
from matrix_desktop.core.model import Status


def _new(services, place, syb, **kw):
    return services.assessments.create(
        place.id,
        syb,
        "2021/22 Q2",
        facilitator="Fay",
        participants=[("Ann", "Council"), ("", "")],
        **kw,
    )


def test_create_records_participants_round_and_audit(services, place, syb):
    a = _new(services, place, syb)
    record = services.assessments.record(a.id)
    assert record.assessment.status is Status.DRAFT
    assert [p.name for p in record.assessment.participants] == ["Ann", "Partner 2"]
    assert services.catalog.find_round("2021/22 Q2").id == a.round_id
    assert [e.action for e in services.assessments.audit(a.id)] == ["create"]


def test_edit_undo_redo_each_commit_and_audit(services, place, syb):
    a = _new(services, place, syb)
    svc = services.assessments
    cmd = svc.edit_rating(a.id, "leadership", stage="developing", evidence="Board minutes")
    svc.execute(cmd)
    assert svc.record(a.id).rating("leadership").stage == "developing"
    svc.revert(cmd)
    assert svc.record(a.id).rating("leadership").stage is None
    svc.execute(cmd)
    assert svc.record(a.id).rating("leadership").evidence == "Board minutes"
    actions = [e.action for e in svc.audit(a.id)]
    assert actions[:3] == ["rating", "undo rating", "rating"]
    assert all(e.user == "tester" for e in svc.audit(a.id))


def test_stage_outside_the_framework_is_refused(services, place, syb):
    a = _new(services, place, syb)
    with pytest.raises(ValidationFailed, match="not a stage"):
        services.assessments.execute(
            services.assessments.edit_rating(a.id, "leadership", stage="golden")
        )
    assert services.assessments.record(a.id).rating("leadership").stage is None


def test_final_assessment_cannot_be_edited_until_reopened_with_reason(services, place, syb):
    a = _new(services, place, syb)
    svc = services.assessments
    svc.execute(svc.finalise(a.id))
    with pytest.raises(FinalisedError):
        svc.execute(svc.edit_rating(a.id, "leadership", stage="thriving"))
    with pytest.raises(ValidationFailed, match="why"):
        svc.reopen(a.id, "  ")
    svc.execute(svc.reopen(a.id, "New evidence from the council"))
    svc.execute(svc.edit_rating(a.id, "leadership", stage="thriving"))
    reopen = [e for e in svc.audit(a.id) if e.action == "reopen"]
    assert reopen and "New evidence from the council" in reopen[0].detail


def test_long_text_in_any_script_is_stored_intact(services, place, syb):
    a = _new(services, place, syb)
    text = ("Évidence — 証拠 — دليل — доказательство 🙂\n" * 2500)[:100_000]
    svc = services.assessments
    svc.execute(svc.edit_rating(a.id, "governance", evidence=text))
    assert svc.record(a.id).rating("governance").evidence == text


def test_votes_are_recorded_per_participant(services, place, syb):
    a = _new(services, place, syb)
    svc = services.assessments
    ann = a.participants[0]
    svc.execute(svc.set_vote(a.id, ann.id, "leadership", "maturing"))
    assert [(v.participant_id, v.stage) for v in svc.record(a.id).votes] == [(ann.id, "maturing")]
    with pytest.raises(ValidationFailed, match="not part of this assessment"):
        svc.set_vote(a.id, "someone-else", "leadership", "maturing")


def test_carry_forward_copies_ratings_marked(services, place, syb):
    svc = services.assessments
    first = _new(services, place, syb)
    svc.execute(svc.edit_rating(first.id, "leadership", stage="developing", rationale="Because"))
    second = svc.create(place.id, syb, "2022/23 Q1", carry_forward_from=first.id)
    rating = svc.record(second.id).rating("leadership")
    assert rating.stage == "developing" and rating.carried_forward and rating.rationale == "Because"
    assert svc.previous(second).id == first.id


def test_framework_for_another_kind_is_refused(services, place):
    ics = services.catalog.framework("nhs-ics-maturity-matrix")
    with pytest.raises(ValidationFailed, match="not for a place partnership"):
        services.assessments.create(place.id, ics, "2021/22 Q2")


def test_counts_by_entity(services, place, syb):
    before = services.assessments.counts_by_entity().get(place.id, 0)
    _new(services, place, syb)
    services.assessments.create(place.id, syb, "2030/31 Q1")
    assert services.assessments.counts_by_entity()[place.id] == before + 2


def test_rated_counts_match_the_records_in_one_statement(example_services):
    from sqlalchemy import event

    svc = example_services
    statements: list[str] = []

    def _count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        statements.append(statement.split()[0].upper())

    for entity_id in {a.entity_id for a in svc.assessments.assessments()}:
        expected = {
            a.id: sum(1 for r in svc.assessments.record(a.id).ratings if r.stage is not None)
            for a in svc.assessments.assessments(entity_id)
        }
        statements.clear()
        event.listen(svc.db.engine, "before_cursor_execute", _count)
        try:
            counts = svc.assessments.rated_counts(entity_id)
        finally:
            event.remove(svc.db.engine, "before_cursor_execute", _count)
        assert counts == expected
        assert [s for s in statements if s not in ("BEGIN", "COMMIT", "ROLLBACK")] == ["SELECT"]


def test_rated_counts_list_an_assessment_with_nothing_rated(services, place, syb):
    a = _new(services, place, syb)
    assert services.assessments.rated_counts(place.id) == {a.id: 0}
