"""Export, import and the three-way merge: round trips, merge cases, resolutions, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exchange.helpers import logical_dump, new_assessment, open_db, set_stage, small_framework
from matrix_desktop.core.model import AssessmentKind
from matrix_desktop.exchange.codec import ExchangeError
from matrix_desktop.services.exchange import (
    Outcome,
    Resolution,
)

STAMP = "2024-01-01T00:00:00+00:00"


@pytest.fixture
def pair(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Two laptops: 'mine' holds an assessment that 'theirs' received from it."""
    fw = small_framework()
    mine = open_db(tmp_path / "mine.sqlite3", "me")
    theirs = open_db(tmp_path / "theirs.sqlite3", "them")
    a = new_assessment(mine, fw)
    mine.exchange.export([a.id], tmp_path / "first.mdx.json")
    theirs.exchange.import_paths([tmp_path / "first.mdx.json"])
    theirs.catalog.frameworks()
    yield mine, theirs, a.id, tmp_path
    mine.close()
    theirs.close()


def _send(src, dst, aid, path, name):  # type: ignore[no-untyped-def]
    """Export from src and preview the import in dst; returns the plan's one item and plan."""
    f = path / name
    src.exchange.export([aid], f)
    plan = dst.exchange.preview([f])
    return plan.items[0], plan


def _stage(svc, aid, domain):  # type: ignore[no-untyped-def]
    return svc.assessments.record(aid).rating(domain).stage


def test_round_trip_gives_identical_bytes(tmp_path: Path) -> None:
    fw = small_framework()
    a_db = open_db(tmp_path / "a.sqlite3")
    a = new_assessment(a_db, fw)
    peer = a_db.assessments.create(
        a_db.catalog.find_entity("Testplace").id, fw, "2021/22 Q3", title="later"
    )
    first = a_db.exchange.export([a.id, peer.id], tmp_path / "1.mdx.json", exported_at=STAMP)
    b_db = open_db(tmp_path / "b.sqlite3")
    b_db.exchange.import_paths([first])
    second = b_db.exchange.export([a.id, peer.id], tmp_path / "2.mdx.json", exported_at=STAMP)
    assert first.read_bytes() == second.read_bytes()
    doc = json.loads(first.read_bytes())
    assert [x["key"] for x in doc["frameworks"]] == ["test-matrix"]
    assert all(x["content_hash"] in x["shared_hashes"] for x in doc["assessments"])


def test_export_is_canonical_and_stable(tmp_path: Path) -> None:
    db = open_db(tmp_path / "a.sqlite3")
    a = new_assessment(db, small_framework())
    one = db.exchange.export([a.id], tmp_path / "1.json", exported_at=STAMP).read_bytes()
    two = db.exchange.export([a.id], tmp_path / "2.json", exported_at=STAMP).read_bytes()
    assert one == two
    assert one.endswith(b"}\n") and b": " not in one[:200]


def test_repeated_import_changes_nothing_the_second_time(pair) -> None:  # type: ignore[no-untyped-def]
    mine, theirs, aid, path = pair
    set_stage(mine, aid, "d1", "thriving")
    f = mine.exchange.export([aid], path / "again.mdx.json")
    first = theirs.exchange.import_paths([f])
    assert first.plan.items[0].outcome is Outcome.UPDATED
    before = logical_dump(path / "theirs.sqlite3")
    second = theirs.exchange.import_paths([f])
    assert second.plan.items[0].outcome is Outcome.UNCHANGED
    assert second.nothing_changed
    assert logical_dump(path / "theirs.sqlite3") == before


def test_change_on_one_side_only_takes_that_side(pair) -> None:  # type: ignore[no-untyped-def]
    mine, theirs, aid, path = pair
    set_stage(theirs, aid, "d2", "thriving")
    item, plan = _send(theirs, mine, aid, path, "back.mdx.json")
    assert item.outcome is Outcome.UPDATED
    mine.exchange.apply(plan)
    assert _stage(mine, aid, "d2") == "thriving"
    # And the old copy coming back later does not undo it: this side is newer.
    item, _ = _send(mine, theirs, aid, path, "same.mdx.json")
    assert item.outcome is Outcome.UNCHANGED


def test_local_edit_since_sharing_is_kept_when_their_copy_is_unchanged(pair) -> None:  # type: ignore[no-untyped-def]
    mine, theirs, aid, path = pair
    set_stage(mine, aid, "d1", "thriving")
    item, plan = _send(theirs, mine, aid, path, "stale.mdx.json")
    assert item.outcome is Outcome.UNCHANGED
    assert "newer" in item.reason
    mine.exchange.apply(plan)
    assert _stage(mine, aid, "d1") == "thriving"


def test_same_edit_on_both_sides_is_unchanged(pair) -> None:  # type: ignore[no-untyped-def]
    mine, theirs, aid, path = pair
    set_stage(mine, aid, "d3", "emerging")
    set_stage(theirs, aid, "d3", "emerging")
    item, _ = _send(theirs, mine, aid, path, "same.mdx.json")
    assert item.outcome is Outcome.UNCHANGED and item.reason == "identical"


def test_disjoint_edits_on_both_sides_merge(pair) -> None:  # type: ignore[no-untyped-def]
    # Field-level granularity: edits to different domains merge without a decision, and
    # neither side's edit is lost.
    mine, theirs, aid, path = pair
    set_stage(mine, aid, "d1", "thriving")
    set_stage(theirs, aid, "d2", "thriving")
    item, plan = _send(theirs, mine, aid, path, "both.mdx.json")
    assert item.outcome is Outcome.MERGED
    assert item.choices == () and item.field_conflicts == ()
    assert "1 domain from the file, 1 domain kept here" in item.reason
    result = mine.exchange.apply(plan)
    assert result.changed == (aid,)
    assert _stage(mine, aid, "d1") == "thriving" and _stage(mine, aid, "d2") == "thriving"


@pytest.mark.parametrize("choice", list(Resolution))
def test_conflict_resolutions(pair, choice: Resolution) -> None:  # type: ignore[no-untyped-def]
    mine, theirs, aid, path = pair
    set_stage(mine, aid, "d1", "thriving")
    set_stage(theirs, aid, "d1", "maturing")
    item, plan = _send(theirs, mine, aid, path, "conflict.mdx.json")
    assert item.outcome is Outcome.CONFLICT
    result = mine.exchange.apply(plan, {aid: choice})
    assert result.backup and Path(result.backup).exists()
    audit = [e for e in mine.assessments.audit(aid) if e.action == "import"]
    assert choice.label in audit[0].detail
    if choice is Resolution.KEEP_MINE:
        assert _stage(mine, aid, "d1") == "thriving" and not result.changed
    elif choice is Resolution.TAKE_THEIRS:
        assert _stage(mine, aid, "d1") == "maturing" and result.changed == (aid,)
    else:
        copy_id = result.copies[aid]
        assert _stage(mine, aid, "d1") == "thriving"
        assert _stage(mine, copy_id, "d1") == "maturing"
        copy = mine.assessments.record(copy_id)
        assert "copy from conflict.mdx.json" in copy.assessment.title
        assert len(copy.votes) == 1 and len(copy.ratings) == 3
    # Whatever was chosen, importing the same file again changes nothing.
    again = mine.exchange.preview([path / "conflict.mdx.json"])
    assert again.items[0].outcome is Outcome.UNCHANGED and not again.has_changes


def test_keep_mine_then_sending_back_updates_the_other_side(pair) -> None:  # type: ignore[no-untyped-def]
    mine, theirs, aid, path = pair
    set_stage(mine, aid, "d1", "thriving")
    set_stage(theirs, aid, "d1", "maturing")
    _, plan = _send(theirs, mine, aid, path, "c.mdx.json")
    mine.exchange.apply(plan, {aid: Resolution.KEEP_MINE})
    item, plan = _send(mine, theirs, aid, path, "resolved.mdx.json")
    assert item.outcome is Outcome.UPDATED
    theirs.exchange.apply(plan)
    assert _stage(theirs, aid, "d1") == "thriving"


def test_three_laptops_do_not_lose_an_edit(pair) -> None:  # type: ignore[no-untyped-def]
    mine, theirs, aid, path = pair
    third = open_db(path / "third.sqlite3")
    third.exchange.import_paths([path / "first.mdx.json"])
    third.catalog.frameworks()
    set_stage(theirs, aid, "d2", "thriving")  # theirs -> third
    third.exchange.import_paths([theirs.exchange.export([aid], path / "t.mdx.json")])
    set_stage(mine, aid, "d3", "thriving")  # mine -> third, never having seen theirs' edit
    item, plan = _send(mine, third, aid, path, "m.mdx.json")
    # Merged from the content all three shared first (third's newest base is theirs' edit,
    # which mine's file never saw, so the older shared one is the base).
    assert item.outcome is Outcome.MERGED
    third.exchange.apply(plan)
    assert _stage(third, aid, "d2") == "thriving" and _stage(third, aid, "d3") == "thriving"
    third.close()


def test_stale_plan_is_refused(pair) -> None:  # type: ignore[no-untyped-def]
    mine, theirs, aid, path = pair
    set_stage(theirs, aid, "d2", "thriving")
    _, plan = _send(theirs, mine, aid, path, "x.mdx.json")
    set_stage(mine, aid, "d1", "thriving")
    before = logical_dump(path / "mine.sqlite3")
    with pytest.raises(ExchangeError, match="changed since the preview"):
        mine.exchange.apply(plan)
    assert logical_dump(path / "mine.sqlite3") == before


def test_failure_while_writing_leaves_the_database_as_it_was(pair, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import OperationalError

    from matrix_desktop.storage import repository as repo

    mine, theirs, aid, path = pair
    set_stage(theirs, aid, "d2", "thriving")
    _, plan = _send(theirs, mine, aid, path, "x.mdx.json")
    before = logical_dump(path / "mine.sqlite3")

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OperationalError("INSERT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(repo, "append_audits", broken)
    with pytest.raises(ExchangeError, match="nothing was imported"):
        mine.exchange.apply(plan)
    assert logical_dump(path / "mine.sqlite3") == before


def test_decisions_are_checked(pair) -> None:  # type: ignore[no-untyped-def]
    mine, theirs, aid, path = pair
    set_stage(mine, aid, "d1", "thriving")
    set_stage(theirs, aid, "d1", "maturing")
    _, plan = _send(theirs, mine, aid, path, "x.mdx.json")
    with pytest.raises(ExchangeError, match="is not one of"):
        mine.exchange.apply(plan, {aid: "flip a coin"})
    with pytest.raises(ExchangeError, match="not a conflict"):
        mine.exchange.apply(plan, {aid: "keep_mine", "0" * 8: "keep_mine"})


def test_folder_import_and_names_matched_to_local_ones(tmp_path: Path) -> None:
    fw = small_framework()
    a_db = open_db(tmp_path / "a.sqlite3")
    b_db = open_db(tmp_path / "b.sqlite3")
    # Both laptops created "Test ICS", "Testplace" and the round on their own: different ids.
    ours = new_assessment(b_db, fw)
    folder = tmp_path / "assessments"
    for place in ("Alpha", "Beta"):
        x = new_assessment(a_db, fw, place=place)
        a_db.exchange.export([x.id], folder / f"{place}.mdx.json")
    same_place = new_assessment(a_db, fw)
    a_db.exchange.export([same_place.id], folder / "testplace.mdx.json")
    (folder / "notes.txt").write_text("not an exchange file")
    result = b_db.exchange.import_paths([folder])
    assert result.plan.count(Outcome.NEW) == 3
    assert [e.name for e in result.plan.new_entities] == ["Alpha", "Beta"]
    assert not result.plan.new_systems and not result.plan.new_rounds
    imported = b_db.assessments.get(same_place.id)
    assert imported.entity_id == ours.entity_id and imported.round_id == ours.round_id


def test_peer_review_brings_the_assessment_it_reviews(tmp_path: Path) -> None:
    from matrix_desktop.core.model import Assessment, AssessmentRecord
    from matrix_desktop.storage import repository as repo

    fw = small_framework()
    db = open_db(tmp_path / "a.sqlite3")
    sa = new_assessment(db, fw)
    review = Assessment(
        id="11111111-2222-4333-8444-555555555555",
        entity_id=sa.entity_id,
        framework_key=fw.key,
        framework_version=fw.version,
        round_id=sa.round_id,
        kind=AssessmentKind.PEER_REVIEW,
        reviews_id=sa.id,
        reviewer_name="Pat",
    )
    with db.db.session() as s:
        repo.SqlAssessmentStore(s).put_record(AssessmentRecord(review))
    f = db.exchange.export([review.id], tmp_path / "review.mdx.json")
    other = open_db(tmp_path / "b.sqlite3")
    result = other.exchange.import_paths([f])
    assert sorted(i.assessment_id for i in result.plan.items) == sorted([sa.id, review.id])
    assert other.assessments.get(review.id).reviews_id == sa.id


def test_framework_version_comes_with_the_file(pair) -> None:  # type: ignore[no-untyped-def]
    mine, theirs, aid, path = pair
    assert any(f.key == "test-matrix" for f in theirs.catalog.frameworks())


def test_audit_records_the_import(pair) -> None:  # type: ignore[no-untyped-def]
    _mine, theirs, aid, _path = pair
    events = [e for e in theirs.assessments.audit() if e.action == "import"]
    assert any(e.assessment_id is None and "first.mdx.json" in e.detail for e in events)
    assert any(e.assessment_id == aid and e.detail.startswith("new from") for e in events)
