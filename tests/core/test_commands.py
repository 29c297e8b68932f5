"""Commands: edits as patches of the fields touched, their inverses, status changes, texts."""

from __future__ import annotations

import pytest

from matrix_desktop.core.commands import (
    Command,
    Edit,
    SetStatus,
    Target,
    assessment_edit,
    rating_edit,
    short,
    vote_edit,
)
from matrix_desktop.core.merge import FieldConflict
from matrix_desktop.core.model import (
    Action,
    ActionStatus,
    Assessment,
    Confidence,
    Rating,
    Status,
    ThemeItem,
    Vote,
)

RATING = Rating("a1", "leadership", stage="developing", evidence="minutes")
ASSESSMENT = Assessment("a1", "e1", "syb", "v1.4", "r1", title="Spring workshop")


def test_rating_edit_patches_only_the_fields_touched():
    edit = rating_edit(RATING, stage="maturing", confidence=Confidence.HIGH)
    assert edit.target == Target("rating", "a1", "leadership")
    assert edit.seen == {"stage": "developing", "confidence": None}
    assert edit.new == {"stage": "maturing", "confidence": Confidence.HIGH}
    assert (edit.action, edit.assessment_id, edit.domain_key) == ("rating", "a1", "leadership")
    assert edit.text == "Change agreed stage, confidence"


def test_assessment_edit_refuses_status_which_is_a_command_of_its_own():
    edit = assessment_edit(ASSESSMENT, title="Autumn workshop")
    assert edit.target == Target("assessment", "a1") and edit.domain_key is None
    assert (edit.seen, edit.new) == ({"title": "Spring workshop"}, {"title": "Autumn workshop"})
    with pytest.raises(ValueError, match="SetStatus"):
        assessment_edit(ASSESSMENT, status=Status.FINAL)


def test_vote_edit_names_the_participant():
    edit = vote_edit(Vote("a1", "p1", "leadership", None), "thriving", who="Ann")
    assert edit.target == Target("vote", "a1", "leadership", "p1")
    assert (edit.seen, edit.new) == ({"stage": None}, {"stage": "thriving"})
    assert edit.text == "Set Ann's view" and edit.action == "vote"
    assert edit.detail() == "Ann: — -> thriving"
    assert vote_edit(Vote("a1", "p2", "leadership", None), None).text == "Set participant's view"


def test_an_explicit_text_wins_and_an_empty_patch_says_nothing():
    assert Edit(Target("rating", "a1", "d"), {}, {}, text="Tidy up").text == "Tidy up"
    assert Edit(Target("rating", "a1", "d"), {}, {}).text == "Change nothing"


def test_detail_shows_what_was_replaced_once_applied_else_what_was_seen():
    edit = rating_edit(RATING, stage="maturing", evidence="minutes")
    # Before it is applied: from the values seen; unchanged fields are left out.
    assert edit.detail() == "stage: developing -> maturing"
    edit.before = {"stage": "emerging", "evidence": "minutes"}
    edit.after = {"stage": "maturing", "evidence": "minutes"}
    assert edit.detail() == "stage: emerging -> maturing"
    edit.before = edit.after = {"stage": "maturing", "evidence": "minutes"}
    assert edit.detail() == "stage: maturing -> maturing; evidence: minutes -> minutes"


def test_inverse_goes_from_what_was_written_back_to_what_was_replaced():
    edit = rating_edit(RATING, stage="maturing")
    with pytest.raises(ValueError, match="only after it was applied"):
        edit.inverse()
    edit.before, edit.after = {"stage": "emerging"}, {"stage": "maturing"}
    undo = edit.inverse()
    assert undo.target == edit.target and undo.text == edit.text
    assert (undo.seen, undo.new) == ({"stage": "maturing"}, {"stage": "emerging"})
    assert undo.before == {} and undo.after == {}  # a fresh edit, not yet applied
    vote = vote_edit(Vote("a1", "p1", "d", "emerging"), "thriving", who="Ann")
    vote.before, vote.after = {"stage": "emerging"}, {"stage": "thriving"}
    assert vote.inverse().who == "Ann"


def test_keep_mine_rebases_the_conflicting_fields_on_the_stored_values():
    edit = rating_edit(RATING, stage="maturing", evidence="new minutes")
    conflict = FieldConflict("stage", "developing", "maturing", "thriving", "maturing")
    kept = edit.keep_mine([conflict])
    assert kept.seen == {"stage": "thriving", "evidence": "minutes"}
    assert kept.new == {"stage": "maturing", "evidence": "new minutes"}
    assert kept.target == edit.target and kept.text == edit.text
    assert edit.seen["stage"] == "developing"  # the original is left as it was


def test_set_status_finalise_and_reopen_with_their_inverses():
    final = SetStatus("a1", Status.FINAL, seen_revision=4)
    assert (final.action, final.text, final.assessment_id) == (
        "finalise",
        "Finalise assessment",
        "a1",
    )
    assert final.detail() == "status: draft -> final"
    undo = final.inverse()
    assert (undo.status, undo.reason, undo.action) == (Status.DRAFT, "undo of finalise", "reopen")
    reopen = SetStatus("a1", Status.DRAFT, reason="a typo in the evidence", revision_after=6)
    assert reopen.text == "Reopen assessment"
    assert reopen.detail() == "status: final -> draft; reason: a typo in the evidence"
    again = reopen.inverse()
    assert (again.status, again.seen_revision) == (Status.FINAL, 6)
    assert SetStatus("a1", Status.FINAL, text="Sign off").text == "Sign off"


def test_the_base_command_has_no_inverse():
    command = Command()
    assert command.detail() == "" and command.domain_key is None
    with pytest.raises(NotImplementedError):
        command.inverse()


def test_short_values_for_the_audit_trail():
    assert short(None) == "—" and short("") == "—"
    assert short(Status.FINAL) == "final"
    assert short("line one\nline two") == "line one line two"
    assert short("x" * 100) == "x" * 79 + "…"
    assert short("x" * 100, limit=10) == "x" * 9 + "…"
    actions = (Action("1", "Agree the plan"), Action("2", "Share it"))
    assert short(actions) == "Agree the plan; Share it"
    done = (Action("1", "Agree the plan", status=ActionStatus.DONE),)
    assert short(done) == "Agree the plan (done)"
    assert short((ThemeItem("Shared data"),)) == "Shared data"
    assert short(()) == "—"
