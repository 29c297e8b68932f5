"""Editing from the command line: assessment new|show|finalise|reopen, rating set, vote set.

Every edit goes through the services' compare-and-set path: a field someone else changed
since it was read (or since --expect) exits 3 naming it; bad input exits 2, nothing changed.
"""

from __future__ import annotations

import json

import pytest

from matrix_desktop.cli.main import run_cli
from matrix_desktop.core.model import Confidence, Direction
from matrix_desktop.services.assessments import AssessmentService

SYB = "syb-place-development-matrix"


def cli(capsys, db_path, *args):  # type: ignore[no-untyped-def]
    try:
        code = run_cli(["--database", str(db_path), *args])
    except SystemExit as exc:  # argparse's own usage errors
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def aid(services, place, db_path, capsys):  # type: ignore[no-untyped-def]
    """A draft made by `assessment new` (Ann of the Council and Bob in the room)."""
    code, out, err = cli(
        capsys,
        db_path,
        "assessment",
        "new",
        "--entity",
        "Testshire",
        "--framework",
        SYB,
        "--round",
        "2030 Q1",
        "--facilitator",
        "Fay",
        "--participant",
        "Ann:Council",
        "--participant",
        "Bob",
        "--date",
        "31/03/2030",
    )
    assert code == 0, err
    return out.strip()


def test_new_prints_the_id_of_a_draft_with_its_people(services, aid):
    a = services.assessments.get(aid)
    assert a.status.value == "draft" and a.facilitator == "Fay" and a.assessed_on == "2030-03-31"
    assert [(p.name, p.organisation) for p in a.participants] == [("Ann", "Council"), ("Bob", "")]
    assert services.catalog.round(a.round_id).name == "2030 Q1"


def test_rating_set_changes_only_the_fields_given(services, aid, db_path, capsys):
    code, out, err = cli(
        capsys,
        db_path,
        "rating",
        "set",
        aid[:8],  # a unique prefix of the id is enough
        "2",
        "--stage",
        "Developing",
        "--evidence",
        "Board minutes",
        "--rationale",
        "Because",
        "--confidence",
        "high",
        "--direction",
        "no-change",
        "--met",
        "developing.1",
        "leadership.developing.2",
        "--add-action",
        "Write the plan",
        "--owner",
        "Ann",
        "--due",
        "31/05/2030",
    )
    assert code == 0, err
    assert "domain 2 leadership" in out and "revision 2" in out
    r = services.assessments.record(aid).rating("leadership")
    assert (r.stage, r.evidence, r.rationale) == ("developing", "Board minutes", "Because")
    assert (r.confidence, r.direction) == (Confidence.HIGH, Direction.NO_CHANGE)
    assert r.statements_met == ("leadership.developing.1", "leadership.developing.2")
    assert [(x.what, x.owner, x.due) for x in r.actions] == [
        ("Write the plan", "Ann", "2030-05-31")
    ]

    code, out, err = cli(
        capsys,
        db_path,
        "rating",
        "set",
        aid,
        "leadership",
        "--stage",
        "none",
        "--confidence",
        "none",
        "--unmet",
        "developing.1",
        "--add-action",
        "Second",
        "--due",
        "2030-06-30",
    )
    assert code == 0, err
    r = services.assessments.record(aid).rating("leadership")
    assert r.stage is None and r.confidence is None and r.evidence == "Board minutes"
    assert r.statements_met == ("leadership.developing.2",)
    assert [x.what for x in r.actions] == ["Write the plan", "Second"]
    assert r.actions[1].due == "2030-06-30" and r.actions[0].id != r.actions[1].id
    assert [e.action for e in services.assessments.audit(aid)][:2] == ["rating", "rating"]

    code, out, _ = cli(capsys, db_path, "rating", "set", aid, "2", "--stage", "none")
    assert code == 0 and "nothing to change" in out
    assert services.assessments.get(aid).revision == 3


def test_vote_set_by_name_or_id_and_clear(services, aid, db_path, capsys):
    bob = services.assessments.get(aid).participants[1]
    code, out, err = cli(capsys, db_path, "vote", "set", aid, "ann", "3", "maturing")
    assert code == 0, err and "Ann" in out
    code, _, err = cli(capsys, db_path, "vote", "set", aid, bob.id, "governance", "2")
    assert code == 0, err
    votes = {(v.participant_id, v.stage) for v in services.assessments.record(aid).votes}
    ann = services.assessments.get(aid).participants[0]
    assert votes == {(ann.id, "maturing"), (bob.id, "developing")}
    code, _, err = cli(capsys, db_path, "vote", "set", aid, "Ann", "governance", "none")
    assert code == 0, err
    assert [v.participant_id for v in services.assessments.record(aid).votes] == [bob.id]


def test_show_text_and_json(services, aid, db_path, capsys):
    ann = services.assessments.get(aid).participants[0]
    svc = services.assessments
    svc.execute(svc.edit_rating(aid, "governance", stage="thriving", evidence="Minutes\nand more"))
    svc.execute(svc.set_vote(aid, ann.id, "governance", "maturing"))
    code, out, err = cli(capsys, db_path, "assessment", "show", aid, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert (data["status"], data["revision"], data["round"]) == ("draft", 3, "2030 Q1")
    assert data["entity"] == "Testshire Place Partnership"
    governance = next(d for d in data["domains"] if d["key"] == "governance")
    assert governance["stage"] == "thriving" and governance["evidence"] == "Minutes\nand more"
    assert governance["votes"] == [
        {"participant_id": ann.id, "participant": "Ann", "stage": "maturing"}
    ]
    assert len(data["domains"]) == 13
    code, out, _ = cli(capsys, db_path, "assessment", "show", aid)
    assert code == 0
    assert "status: draft   revision: 3" in out and " 3 governance: thriving" in out
    assert "views: Ann: maturing" in out and "participant: Ann (Council)" in out


def test_conflict_exits_3_naming_the_field_and_keep_mine_writes_mine(
    services, aid, db_path, capsys
):
    svc = services.assessments
    svc.execute(svc.edit_rating(aid, "leadership", evidence="old text"))
    svc.execute(svc.edit_rating(aid, "leadership", evidence="their text"))  # someone else
    revision = svc.get(aid).revision
    args = ("rating", "set", aid, "leadership", "--evidence", "my text")
    code, out, err = cli(capsys, db_path, *args, "--expect", "evidence=old text")
    assert code == 3
    assert "evidence" in err and "nothing was written" in err
    assert "base:   'old text'" in err and "theirs: 'their text'" in err
    assert "mine:   'my text'" in err and "--keep-mine" in err
    assert svc.get(aid).revision == revision
    assert svc.record(aid).rating("leadership").evidence == "their text"

    code, out, err = cli(capsys, db_path, *args, "--expect", "evidence=old text", "--keep-mine")
    assert code == 0, err
    assert "kept yours over theirs" in out
    assert svc.record(aid).rating("leadership").evidence == "my text"
    # The audit records the value really replaced (theirs), not the one the user saw.
    assert "evidence: their text -> my text" in svc.audit(aid)[0].detail

    # Another field from the same stale view merges: no conflict.
    code, _, err = cli(
        capsys, db_path, "rating", "set", aid, "2", "--stage", "1", "--expect", "stage=none"
    )
    assert code == 0, err


def test_a_change_between_the_read_and_the_write_is_a_conflict(
    services, aid, db_path, capsys, monkeypatch
):
    """Someone commits after the command read the row and before it writes: exit 3."""
    other = services.assessments
    real_record = AssessmentService.record

    def record_then_someone_writes(self, assessment_id):  # type: ignore[no-untyped-def]
        seen = real_record(self, assessment_id)
        if self is not other:
            other.execute(other.edit_rating(assessment_id, "leadership", stage="thriving"))
        return seen

    monkeypatch.setattr(AssessmentService, "record", record_then_someone_writes)
    code, _, err = cli(capsys, db_path, "rating", "set", aid, "leadership", "--stage", "emerging")
    assert code == 3 and "stage" in err and "theirs: thriving" in err
    assert real_record(other, aid).rating("leadership").stage == "thriving"


def test_vote_conflict_names_the_view(services, aid, db_path, capsys):
    ann = services.assessments.get(aid).participants[0]
    svc = services.assessments
    svc.execute(svc.set_vote(aid, ann.id, "leadership", "thriving"))
    code, _, err = cli(
        capsys,
        db_path,
        "vote",
        "set",
        aid,
        "Ann",
        "leadership",
        "emerging",
        "--expect",
        "stage=none",
    )
    assert code == 3 and "Ann's view" in err and "theirs: thriving" in err
    assert svc.record(aid).votes[0].stage == "thriving"


def test_finalise_and_reopen(services, aid, db_path, capsys):
    svc = services.assessments
    seen = svc.get(aid).revision
    svc.execute(svc.edit_rating(aid, "leadership", stage="developing"))  # not seen
    code, _, err = cli(capsys, db_path, "assessment", "finalise", aid, "--seen-revision", str(seen))
    assert code == 3 and "changed since you last saw it" in err
    assert svc.get(aid).status.value == "draft"
    code, out, err = cli(
        capsys, db_path, "assessment", "finalise", aid, "--seen-revision", str(seen + 1)
    )
    assert code == 0 and "finalised" in out, err
    assert svc.get(aid).status.value == "final"
    code, _, err = cli(capsys, db_path, "rating", "set", aid, "2", "--stage", "thriving")
    assert code == 1 and "final" in err
    code, _, err = cli(capsys, db_path, "assessment", "reopen", aid, "--reason", " ")
    assert code == 2 and "--reason" in err
    code, out, err = cli(capsys, db_path, "assessment", "reopen", aid, "--reason", "New data")
    assert code == 0 and "reopened" in out, err
    assert svc.get(aid).status.value == "draft"
    assert "New data" in svc.audit(aid)[0].detail


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("rating", "set", "{aid}", "99", "--stage", "1"), "'99' is not a domain"),
        (("rating", "set", "{aid}", "2", "--stage", "golden"), "'golden' is not a stage"),
        (("rating", "set", "{aid}", "2", "--add-action", "X", "--due", "31/02/2030"), "28 days"),
        (("rating", "set", "{aid}", "2", "--owner", "Ann"), "--add-action"),
        (
            ("rating", "set", "{aid}", "2", "--met", "thriving.99"),
            "'thriving.99' is not a statement",
        ),
        (("rating", "set", "{aid}", "2"), "nothing to change"),
        (("rating", "set", "{aid}", "2", "--stage", "1", "--expect", "stage"), "FIELD=VALUE"),
        (("rating", "set", "{aid}", "2", "--stage", "1", "--expect", "evidence=x"), "not change"),
        (("rating", "set", "{aid}", "2", "--evidence", "bad\x07"), "control character"),
        (("rating", "set", "nope", "2", "--stage", "1"), "no assessment with id 'nope'"),
        (("vote", "set", "{aid}", "Zed", "2", "1"), "'Zed' is not a participant"),
        (("vote", "set", "{aid}", "Ann", "2", "9"), "'9' is not a stage"),
        (("rating", "set", "{aid}", "2", "--confidence", "huge"), "invalid choice"),
        (
            ("assessment", "new", "--entity", "Atlantis", "--framework", SYB, "--round", "R"),
            "Atlantis",
        ),
    ],
)
def test_bad_input_exits_2_naming_it_and_changes_nothing(
    services, aid, db_path, capsys, args, message
):
    before = services.assessments.record(aid)
    count = len(services.assessments.assessments())
    code, _, err = cli(capsys, db_path, *[a.replace("{aid}", aid) for a in args])
    assert code == 2
    assert message in err
    assert services.assessments.record(aid) == before
    assert len(services.assessments.assessments()) == count


def test_writing_commands_take_the_lock_reading_ones_do_not(services, aid, db_path, capsys):
    from matrix_desktop.storage.lock import DatabaseLock

    with DatabaseLock(db_path):  # the app has the database open
        code, _, err = cli(capsys, db_path, "rating", "set", aid, "2", "--stage", "1")
        assert code == 1 and "open in another copy" in err
        code, out, _ = cli(capsys, db_path, "assessment", "show", aid)
        assert code == 0 and "revision: 1" in out
    assert services.assessments.record(aid).rating("leadership").stage is None
