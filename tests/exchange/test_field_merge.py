"""exchange.fields: one assessment merged field by field from its base (pure, no database)."""

from __future__ import annotations

import pytest

from matrix_desktop.core.model import (
    Action,
    Assessment,
    AssessmentRecord,
    Participant,
    Rating,
    Vote,
)
from matrix_desktop.exchange.fields import (
    FieldChoice,
    FieldKey,
    identity_differs,
    merge_records,
)

AID = "11111111-2222-4333-8444-555555555555"
ANN = Participant("aaaaaaaa-0000-4000-8000-000000000001", "Ann")
BO = Participant("aaaaaaaa-0000-4000-8000-000000000002", "Bo")


def _record(*ratings: Rating, votes=(), **details) -> AssessmentRecord:  # type: ignore[no-untyped-def]
    a = Assessment(AID, "e", "fw", "v1", "r", participants=(ANN, BO), created_at="t", **details)
    return AssessmentRecord(a, tuple(ratings), tuple(votes))


BASE = _record(
    Rating(AID, "d1", stage="emerging", evidence="base"),
    Rating(AID, "d2", stage="developing", actions=(Action("x1", "Plan"),)),
    votes=(Vote(AID, ANN.id, "d1", "emerging"),),
    title="Day one",
)


def test_file_and_database_words_are_not_swapped() -> None:
    # In an import "mine" is this database's value and "theirs" the file's.
    here = _record(Rating(AID, "d1", stage="emerging", evidence="here"), BASE.ratings[1])
    here = AssessmentRecord(here.assessment, here.ratings, BASE.votes)
    file = _record(Rating(AID, "d1", stage="emerging", evidence="file"), BASE.ratings[1])
    file = AssessmentRecord(file.assessment.evolve(title="Day one"), file.ratings, BASE.votes)
    here = AssessmentRecord(here.assessment.evolve(title="Day one"), here.ratings, here.votes)
    merge = merge_records(BASE, file, here, {"d1": "Domain one"})
    (c,) = merge.conflicts
    assert c.key == FieldKey(AID, "d1", "evidence") and c.label == "Domain one: Evidence"
    assert (c.base, c.mine, c.theirs) == ("base", "here", "file")
    assert (c.keep_mine, c.take_theirs) == ("here", "file")
    assert merge.record().rating("d1").evidence == "here"
    assert merge.record({c.key: FieldChoice.THEIRS}).rating("d1").evidence == "file"


def test_one_sided_changes_apply_and_identical_ones_count_once() -> None:
    here = AssessmentRecord(
        BASE.assessment.evolve(facilitator="Fay"),
        (BASE.ratings[0].evolve(stage="thriving"), BASE.ratings[1]),
        BASE.votes,
    )
    file = AssessmentRecord(
        BASE.assessment.evolve(facilitator="Fay", title="Day two"),
        (BASE.ratings[0], BASE.ratings[1].evolve(evidence="file's")),
        (*BASE.votes, Vote(AID, BO.id, "d2", "maturing")),
    )
    merge = merge_records(BASE, file, here)
    assert merge.conflicts == ()
    out = merge.record(revision=7, modified_at="2024-01-01T00:00:00+00:00")
    assert out.assessment.revision == 7 and out.assessment.title == "Day two"
    assert out.assessment.facilitator == "Fay"
    assert out.rating("d1").stage == "thriving" and out.rating("d2").evidence == "file's"
    assert {(v.participant_id, v.domain_key) for v in out.votes} == {
        (ANN.id, "d1"),
        (BO.id, "d2"),
    }
    assert merge.from_file == ("", "d2") and merge.kept_here == ("", "d1")
    assert merge.describe() == (
        "1 domain and the details from the file, 1 domain and the details kept here"
    )


def test_list_items_merge_and_a_clashing_item_is_a_conflict() -> None:
    plan = BASE.ratings[1].actions[0]
    here = AssessmentRecord(
        BASE.assessment,
        (
            BASE.ratings[0],
            BASE.ratings[1].evolve(actions=(plan.__class__(plan.id, "Plan v2"), Action("h", "H"))),
        ),
        BASE.votes,
    )
    file = AssessmentRecord(
        BASE.assessment,
        (
            BASE.ratings[0],
            BASE.ratings[1].evolve(actions=(plan.__class__(plan.id, "Plan v3"), Action("f", "F"))),
        ),
        BASE.votes,
    )
    merge = merge_records(BASE, file, here)
    (c,) = merge.conflicts
    assert c.key.field == "actions" and c.items == ("Plan v3",)
    assert [a.what for a in c.keep_mine] == ["Plan v2", "H", "F"]  # type: ignore[attr-defined]
    assert [a.what for a in c.take_theirs] == ["Plan v3", "H", "F"]  # type: ignore[attr-defined]


def test_a_domain_rated_on_one_side_only_is_kept() -> None:
    file = AssessmentRecord(BASE.assessment, (*BASE.ratings, Rating(AID, "d3", stage="thriving")))
    file = AssessmentRecord(file.assessment, file.ratings, BASE.votes)
    here = AssessmentRecord(BASE.assessment.evolve(title="Renamed"), BASE.ratings, BASE.votes)
    out = merge_records(BASE, file, here).record()
    assert out.rating("d3").stage == "thriving" and out.assessment.title == "Renamed"
    assert sorted(r.domain_key for r in out.ratings) == ["d1", "d2", "d3"]


def test_views_of_a_participant_removed_on_one_side_are_dropped() -> None:
    here = AssessmentRecord(BASE.assessment.evolve(participants=(BO,)), BASE.ratings, ())
    file = AssessmentRecord(
        BASE.assessment, BASE.ratings, (*BASE.votes, Vote(AID, ANN.id, "d2", "thriving"))
    )
    merge = merge_records(BASE, file, here)
    assert merge.conflicts == () and merge.dropped_views() == 1
    out = merge.record()
    assert out.assessment.participants == (BO,) and out.votes == ()


def test_identity_and_keys() -> None:
    other = AssessmentRecord(BASE.assessment.evolve(framework_version="v2"))
    assert identity_differs(BASE, BASE, BASE) is False
    assert identity_differs(BASE, other, BASE) is True
    key = FieldKey(AID, "", "title")
    assert key.text() == f"{AID}:-:title"
    assert FieldKey.parse(key.text()) == key == FieldKey.parse(f"{AID}::title")
    assert FieldKey.parse(f"{AID}:d1:vote.{ANN.id}").field == f"vote.{ANN.id}"
    with pytest.raises(ValueError, match="expected"):
        FieldKey.parse("just-an-id")


def test_finalised_on_one_side_while_edited_on_the_other_is_flagged() -> None:
    from matrix_desktop.core.model import Status

    final = AssessmentRecord(BASE.assessment.evolve(status=Status.FINAL), BASE.ratings, BASE.votes)
    edited = AssessmentRecord(
        BASE.assessment, (BASE.ratings[0].evolve(stage="thriving"), BASE.ratings[1]), BASE.votes
    )
    assert merge_records(BASE, edited, final).finalised_while_edited
    assert merge_records(BASE, final, edited).finalised_while_edited
    both = AssessmentRecord(final.assessment, edited.ratings, BASE.votes)
    assert not merge_records(BASE, final, both).finalised_while_edited  # what "mine" finalised
    retitled = AssessmentRecord(BASE.assessment.evolve(title="New"), BASE.ratings, BASE.votes)
    assert merge_records(BASE, final, retitled).finalised_while_edited
