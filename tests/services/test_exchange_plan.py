"""Targets and actions in exchange files: merged item by item between laptops, an action
this database has never seen arriving as a new one, and files of older versions still read."""

from __future__ import annotations

import json
from pathlib import Path

from exchange.helpers import new_assessment, open_db, small_framework
from matrix_desktop.core.model import Action, ActionStatus
from matrix_desktop.exchange.codec import content_hash
from matrix_desktop.services.exchange import Outcome

OLD = Action("aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa", "Shared record", "Ann", "2030-03-31")


def _edit(svc, aid, domain, **changes) -> None:  # type: ignore[no-untyped-def]
    svc.assessments.execute(svc.assessments.edit_rating(aid, domain, **changes))


def test_status_changes_on_two_laptops_merge_and_an_unseen_action_arrives_new(
    tmp_path: Path,
) -> None:
    a = open_db(tmp_path / "a.sqlite3", "a")
    b = open_db(tmp_path / "b.sqlite3", "b")
    try:
        fw = small_framework()
        aid = new_assessment(a, fw).id
        _edit(a, aid, "d1", actions=(OLD,))
        a.exchange.export([aid], tmp_path / "start.mdx.json")
        b.exchange.import_paths([tmp_path / "start.mdx.json"])
        b.catalog.frameworks()
        # A marks the shared action done and adds one; B sets a target and adds its own.
        done = Action(OLD.id, OLD.what, OLD.owner, OLD.due, ActionStatus.DONE, "2030-02-01")
        from_a = Action("bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb", "From A", "Al")
        from_b = Action("cccccccc-cccc-4ccc-8ccc-cccccccccccc", "From B", "Bea")
        _edit(a, aid, "d1", actions=(done, from_a))
        _edit(b, aid, "d1", actions=(OLD, from_b), target_stage="thriving")
        a.exchange.export([aid], tmp_path / "from-a.mdx.json")
        plan = b.exchange.preview([tmp_path / "from-a.mdx.json"])
        assert plan.items[0].outcome is Outcome.MERGED and not plan.field_conflicts
        b.exchange.apply(plan)
        r = b.assessments.record(aid).rating("d1")
        by_id = {x.id: x for x in r.actions}
        assert set(by_id) == {OLD.id, from_a.id, from_b.id}  # B's own action is kept
        assert by_id[OLD.id].status is ActionStatus.DONE
        assert by_id[OLD.id].completed_on == "2030-02-01"
        assert r.target_stage == "thriving"
    finally:
        a.close()
        b.close()


def test_a_file_of_an_older_version_reads_with_actions_open_and_the_same_hash(
    tmp_path: Path,
) -> None:
    a = open_db(tmp_path / "a.sqlite3", "a")
    b = open_db(tmp_path / "b.sqlite3", "b")
    try:
        fw = small_framework()
        aid = new_assessment(a, fw).id
        _edit(a, aid, "d1", actions=(OLD,))
        path = tmp_path / "old.mdx.json"
        a.exchange.export([aid], path)
        doc = json.loads(path.read_text("utf-8"))
        rating = next(r for r in doc["assessments"][0]["ratings"] if r["domain"] == "d1")
        # What an older version wrote: an action with id, what, owner and due only.
        assert rating["actions"] == [
            {"id": OLD.id, "what": OLD.what, "owner": OLD.owner, "due": OLD.due}
        ]
        assert "target_stage" not in rating
        b.exchange.import_paths([path])
        got = b.assessments.record(aid)
        assert got.rating("d1").actions == (OLD,)
        assert got.rating("d1").actions[0].status is ActionStatus.OPEN
        assert content_hash(got) == doc["assessments"][0]["content_hash"]
    finally:
        a.close()
        b.close()
