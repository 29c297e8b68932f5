"""Field-level three-way merge of exchange files between laptops: breakout groups, per-field
conflicts and their choices, list fields merged item by item, the fallback for history from
before field-level merging, and the merged content becoming the new shared base."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from exchange.helpers import logical_dump, new_assessment, open_db, set_stage, small_framework
from matrix_desktop.core.model import Action, new_id
from matrix_desktop.exchange.codec import ExchangeError, content_hash
from matrix_desktop.exchange.fields import FieldChoice, FieldKey
from matrix_desktop.exchange.merge import FINALISED_WHILE_EDITED, NO_BASE
from matrix_desktop.services.exchange import Outcome, Resolution, UnresolvedConflicts
from matrix_desktop.services.exchange_import import KEEP_BASES
from matrix_desktop.storage import sync_base

SYB = "syb-place-development-matrix"


@pytest.fixture
def pair(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Laptop A holds an assessment (small framework) that laptop B received from it."""
    fw = small_framework()
    a = open_db(tmp_path / "a.sqlite3", "a")
    b = open_db(tmp_path / "b.sqlite3", "b")
    x = new_assessment(a, fw)
    a.exchange.export([x.id], tmp_path / "first.mdx.json")
    b.exchange.import_paths([tmp_path / "first.mdx.json"])
    b.catalog.frameworks()
    yield a, b, x.id, tmp_path
    a.close()
    b.close()


def _send(src, dst, aid, path: Path, name: str):  # type: ignore[no-untyped-def]
    """Export from src, preview the import in dst; returns the plan's one item and the plan."""
    f = path / name
    src.exchange.export([aid], f)
    plan = dst.exchange.preview([f])
    return plan.items[0], plan


def _rating(svc, aid, domain):  # type: ignore[no-untyped-def]
    return svc.assessments.record(aid).rating(domain)


def _hash(svc, aid) -> str:  # type: ignore[no-untyped-def]
    return content_hash(svc.assessments.record(aid))


def _edit(svc, aid, domain, **changes) -> None:  # type: ignore[no-untyped-def]
    svc.assessments.execute(svc.assessments.edit_rating(aid, domain, **changes))


def test_breakout_groups_scoring_different_domains_merge_without_a_conflict(
    tmp_path: Path,
) -> None:
    a = open_db(tmp_path / "a.sqlite3", "group-a")
    b = open_db(tmp_path / "b.sqlite3", "group-b")
    fw = a.catalog.framework(SYB)
    x = new_assessment(a, fw)  # rates domains with stages and evidence
    aid = x.id
    a.exchange.export([aid], tmp_path / "start.mdx.json")
    b.exchange.import_paths([tmp_path / "start.mdx.json"])
    b.catalog.frameworks()
    domains = [d.key for d in fw.domains]
    # Group A scores domains 1-3: stages, evidence, actions.
    for i, d in enumerate(domains[:3]):
        _edit(
            a,
            aid,
            d,
            stage="thriving",
            evidence=f"Group A evidence {i}",
            actions=(Action(new_id(), f"Group A action {i}", "Lead", "2025-03-31"),),
        )
    # Group B scores domains 4-6 and ticks statements.
    for i, d in enumerate(domains[3:6]):
        ticked = tuple(s.id for s in fw.domain(d).statements[:2])
        _edit(b, aid, d, stage="maturing", evidence=f"Group B evidence {i}", statements_met=ticked)
    # A imports B's file: all six domains' work, no conflict.
    item, plan = _send(b, a, aid, tmp_path, "from-b.mdx.json")
    assert item.outcome is Outcome.MERGED and not plan.conflicts and not plan.field_conflicts
    assert "3 domains from the file, 3 domains kept here" in item.reason
    result = a.exchange.apply(plan)
    assert result.changed == (aid,) and result.backup
    merged = a.assessments.record(aid)
    for i, d in enumerate(domains[:3]):
        r = merged.rating(d)
        assert (r.stage, r.evidence) == ("thriving", f"Group A evidence {i}")
        assert [x.what for x in r.actions] == [f"Group A action {i}"]
    for i, d in enumerate(domains[3:6]):
        r = merged.rating(d)
        assert (r.stage, r.evidence) == ("maturing", f"Group B evidence {i}")
        assert r.statements_met == tuple(s.id for s in fw.domain(d).statements[:2])
    audit = [e for e in a.assessments.audit(aid) if e.action == "import"]
    assert audit[0].detail.startswith("merged from from-b.mdx.json")
    # The merged content is A's newest base now.
    with a.db.reader() as s:
        assert sync_base.base_hashes(s, [aid])[aid][0] == _hash(a, aid)
    # B imports A's merged file: a clean update, and both hold the same content.
    item, plan = _send(a, b, aid, tmp_path, "from-a.mdx.json")
    assert item.outcome is Outcome.UPDATED
    b.exchange.apply(plan)
    assert _hash(a, aid) == _hash(b, aid)
    # And B's copy coming back to A changes nothing.
    item, plan = _send(b, a, aid, tmp_path, "back.mdx.json")
    assert item.outcome is Outcome.UNCHANGED and not plan.has_changes
    a.close()
    b.close()


def test_facilitator_merges_two_groups_files_one_after_the_other(tmp_path: Path) -> None:
    # The facilitator's base moves on with the first group's file; the second group's file
    # is merged from the base all three shared first.
    fw = small_framework()
    hub = open_db(tmp_path / "hub.sqlite3")
    aid = new_assessment(hub, fw).id
    hub.exchange.export([aid], tmp_path / "start.mdx.json")
    groups = []
    for name, domain in (("g1", "d1"), ("g2", "d2")):
        g = open_db(tmp_path / f"{name}.sqlite3", name)
        g.exchange.import_paths([tmp_path / "start.mdx.json"])
        g.catalog.frameworks()
        set_stage(g, aid, domain, "thriving", evidence=f"{name} evidence")
        g.exchange.export([aid], tmp_path / f"{name}.mdx.json")
        groups.append(g)
    first = hub.exchange.import_paths([tmp_path / "g1.mdx.json"])
    assert first.plan.items[0].outcome is Outcome.UPDATED
    second = hub.exchange.import_paths([tmp_path / "g2.mdx.json"])
    assert second.plan.items[0].outcome is Outcome.MERGED
    assert _rating(hub, aid, "d1").evidence == "g1 evidence"
    assert _rating(hub, aid, "d2").evidence == "g2 evidence"
    # Group 2 carries on without the merged file: its next file merges from its own last one.
    set_stage(groups[1], aid, "d2", "maturing")
    item, plan = _send(groups[1], hub, aid, tmp_path, "g2-again.mdx.json")
    assert item.outcome is Outcome.MERGED
    hub.exchange.apply(plan)
    assert _rating(hub, aid, "d2").stage == "maturing"
    assert _rating(hub, aid, "d1").evidence == "g1 evidence"
    for g in groups:
        g.close()
    hub.close()


def _conflicting(pair):  # type: ignore[no-untyped-def]
    """Both change d1's evidence differently; A also changes d3, B also d2."""
    a, b, aid, path = pair
    set_stage(a, aid, "d1", None, evidence="A's evidence")
    set_stage(a, aid, "d3", "developing")
    set_stage(b, aid, "d1", None, evidence="B's evidence")
    set_stage(b, aid, "d2", "emerging")
    return _send(b, a, aid, path, "conflict.mdx.json")


def test_same_field_changed_differently_is_one_field_conflict(pair) -> None:  # type: ignore[no-untyped-def]
    a, b, aid, path = pair
    item, plan = _conflicting(pair)
    assert item.outcome is Outcome.CONFLICT and item.field_level
    assert item.choices == tuple(Resolution)
    # d1's stage was cleared on both sides alike: the same change counts once.
    (c,) = plan.field_conflicts
    assert c.key == FieldKey(aid, "d1", "evidence")
    assert c.label == "Domain 1: Evidence"
    assert (c.base, c.mine, c.theirs) == ("ev 0", "A's evidence", "B's evidence")
    lines = "\n".join(plan.lines())
    assert f"{aid}:d1:evidence" in lines
    assert "mine (here): A's evidence | theirs (file): B's evidence" in lines
    before = logical_dump(path / "a.sqlite3")
    with pytest.raises(UnresolvedConflicts, match="Domain 1: Evidence"):
        a.exchange.apply(plan)
    assert logical_dump(path / "a.sqlite3") == before


@pytest.mark.parametrize(
    ("decision", "expected"),
    [
        ("field-mine", "A's evidence"),
        ("field-theirs", "B's evidence"),
        (Resolution.KEEP_MINE, "A's evidence"),
        (Resolution.TAKE_THEIRS, "B's evidence"),
    ],
)
def test_each_field_choice_gives_the_right_value(pair, decision, expected) -> None:  # type: ignore[no-untyped-def]
    a, b, aid, path = pair
    _item, plan = _conflicting(pair)
    key = FieldKey(aid, "d1", "evidence")
    if isinstance(decision, Resolution):
        decisions: dict = {aid: decision}  # type: ignore[type-arg]
    else:
        decisions = {key: FieldChoice(decision.removeprefix("field-"))}
    result = a.exchange.apply(plan, decisions)
    assert _rating(a, aid, "d1").evidence == expected
    # The changes that did not conflict apply whatever was chosen.
    assert _rating(a, aid, "d1").stage is None
    assert _rating(a, aid, "d2").stage == "emerging" and _rating(a, aid, "d3").stage == "developing"
    detail = next(e.detail for e in a.assessments.audit(aid) if e.action == "import")
    assert detail.startswith("conflict from conflict.mdx.json")
    assert "Domain 1: Evidence: " + ("keep mine" if "A" in expected else "take theirs") in detail
    assert result.backup and Path(result.backup).exists()
    # The same file again changes nothing; the result sent back is a clean update there.
    assert not a.exchange.preview([path / "conflict.mdx.json"]).has_changes
    item, plan = _send(a, b, aid, path, "resolved.mdx.json")
    assert item.outcome is Outcome.UPDATED
    b.exchange.apply(plan)
    assert _hash(a, aid) == _hash(b, aid)


def test_keep_both_keeps_the_whole_assessment_semantics(pair) -> None:  # type: ignore[no-untyped-def]
    a, b, aid, path = pair
    _item, plan = _conflicting(pair)
    mine_before = a.assessments.record(aid)
    with pytest.raises(ExchangeError, match="keep both keeps"):
        a.exchange.apply(
            plan, {aid: Resolution.KEEP_BOTH, FieldKey(aid, "d1", "evidence"): "theirs"}
        )
    result = a.exchange.apply(plan, {aid: "keep_both"})
    copy_id = result.copies[aid]
    assert content_hash(a.assessments.record(aid)) == content_hash(mine_before)
    assert _rating(a, copy_id, "d1").evidence == "B's evidence"
    assert _rating(a, copy_id, "d3").stage == "maturing"  # the file's copy, as it was


def test_field_decisions_are_checked(pair) -> None:  # type: ignore[no-untyped-def]
    a, b, aid, path = pair
    _item, plan = _conflicting(pair)
    with pytest.raises(ExchangeError, match="not a field changed differently"):
        a.exchange.apply(plan, {FieldKey(aid, "d2", "evidence"): "mine"})
    with pytest.raises(ExchangeError, match="is not one of mine, theirs"):
        a.exchange.apply(plan, {FieldKey(aid, "d1", "evidence"): "both"})
    # Resolution words work for a field too.
    a.exchange.apply(plan, {FieldKey(aid, "d1", "evidence"): "take-theirs"})
    assert _rating(a, aid, "d1").evidence == "B's evidence"


def test_different_actions_added_to_the_same_domain_are_both_kept(pair) -> None:  # type: ignore[no-untyped-def]
    a, b, aid, path = pair
    statements = [s.id for s in small_framework().domain("d2").statements]
    _edit(a, aid, "d2", actions=(Action(new_id(), "A writes the plan"),))
    _edit(a, aid, "d2", statements_met=(statements[0],))
    _edit(b, aid, "d2", actions=(Action(new_id(), "B books the room"),))
    _edit(b, aid, "d2", statements_met=(statements[1],))
    item, plan = _send(b, a, aid, path, "actions.mdx.json")
    assert item.outcome is Outcome.MERGED
    a.exchange.apply(plan)
    r = _rating(a, aid, "d2")
    assert sorted(x.what for x in r.actions) == ["A writes the plan", "B books the room"]
    assert sorted(r.statements_met) == sorted(statements)


def test_details_participants_and_views_merge(pair) -> None:  # type: ignore[no-untyped-def]
    a, b, aid, path = pair
    ann, bo = a.assessments.get(aid).participants
    a.assessments.execute(a.assessments.edit_details(aid, title="Workshop day"))
    b.assessments.execute(b.assessments.edit_details(aid, facilitator="Gus"))
    b.assessments.execute(b.assessments.set_vote(aid, bo.id, "d2", "maturing"))
    # Ann's view of d1 changed differently on both sides: a conflict on that view only.
    a.assessments.execute(a.assessments.set_vote(aid, ann.id, "d1", "thriving"))
    b.assessments.execute(b.assessments.set_vote(aid, ann.id, "d1", "emerging"))
    item, plan = _send(b, a, aid, path, "details.mdx.json")
    (c,) = item.field_conflicts
    assert c.key == FieldKey(aid, "d1", f"vote.{ann.id}")
    assert c.label == "Domain 1: Ann's view"
    assert (c.base, c.mine, c.theirs) == ("developing", "thriving", "emerging")
    a.exchange.apply(plan, {c.key: FieldChoice.THEIRS})
    record = a.assessments.record(aid)
    assert (record.assessment.title, record.assessment.facilitator) == ("Workshop day", "Gus")
    views = {(v.participant_id, v.domain_key): v.stage for v in record.votes}
    assert views == {(ann.id, "d1"): "emerging", (bo.id, "d2"): "maturing"}


def test_history_from_before_field_level_merging_falls_back_to_the_whole_assessment(
    pair,
) -> None:  # type: ignore[no-untyped-def]
    a, b, aid, path = pair
    # A's database shared the assessment before it kept bases (hashes only, as at 0002).
    a.close()
    con = sqlite3.connect(path / "a.sqlite3")
    with con:
        con.execute("DELETE FROM sync_base")
    con.close()
    a = open_db(path / "a.sqlite3", "a")
    set_stage(a, aid, "d1", "thriving")
    set_stage(b, aid, "d2", "thriving")
    item, plan = _send(b, a, aid, path, "old.mdx.json")
    assert item.outcome is Outcome.CONFLICT and not item.field_level
    assert item.reason.endswith(NO_BASE)
    assert "shared before field-level merging" in item.reason
    assert item.choices == tuple(Resolution) and not plan.field_conflicts
    with pytest.raises(UnresolvedConflicts):
        a.exchange.apply(plan)
    a.exchange.apply(plan, {aid: Resolution.TAKE_THEIRS})
    assert _rating(a, aid, "d2").stage == "thriving" and _rating(a, aid, "d1").stage == "emerging"
    # From now on both keep bases: the next disjoint edits merge field by field.
    set_stage(a, aid, "d3", "thriving")
    set_stage(b, aid, "d1", "maturing")
    item, _plan = _send(b, a, aid, path, "new.mdx.json")
    assert item.outcome is Outcome.MERGED
    a.close()


def test_only_the_newest_bases_are_kept(pair) -> None:  # type: ignore[no-untyped-def]
    a, b, aid, path = pair
    stages = ["emerging", "developing", "maturing", "thriving"]
    for n in range(KEEP_BASES + 3):
        set_stage(a, aid, "d2", stages[n % 4], evidence=f"take {n}")
        a.exchange.export([aid], path / "x.mdx.json")
    with a.db.reader() as s:
        kept = sync_base.base_hashes(s, [aid])[aid]
    assert len(kept) == KEEP_BASES and kept[0] == _hash(a, aid)


def test_finalised_on_one_side_while_edited_on_the_other_is_decided_whole(pair) -> None:  # type: ignore[no-untyped-def]
    a, b, aid, path = pair
    a.assessments.execute(a.assessments.finalise(aid))
    set_stage(b, aid, "d2", "thriving")
    item, plan = _send(b, a, aid, path, "late.mdx.json")
    assert item.outcome is Outcome.CONFLICT and not item.field_level
    assert item.reason.endswith(FINALISED_WHILE_EDITED)
    a.exchange.apply(plan, {aid: Resolution.KEEP_MINE})
    assert a.assessments.get(aid).is_final and _rating(a, aid, "d2").stage == "developing"
