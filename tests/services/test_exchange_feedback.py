"""Feedback on the matrix in exchange files: it keeps its identity, one this database never
saw arrives as new (never overwriting one it holds), and bad feedback records are refused
with the path named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exchange.helpers import new_assessment, open_db, small_framework
from matrix_desktop.core.errors import DataFileError
from matrix_desktop.core.feedback import FeedbackKind
from matrix_desktop.exchange.codec import content_checksum


def _add(svc, aid, text, kind="clarity", **more):  # type: ignore[no-untyped-def]
    edit = svc.feedback.add(aid, "d1", kind, text, **more)
    svc.assessments.execute(edit)
    return edit.target.item_id


def test_round_trip_and_unknown_feedback_arrives_as_new(tmp_path: Path) -> None:
    a = open_db(tmp_path / "a.sqlite3", "ann")
    b = open_db(tmp_path / "b.sqlite3", "bob")
    try:
        fw = small_framework()
        aid = new_assessment(a, fw).id
        statement = fw.domain("d1").statements[0].id
        first = _add(a, aid, "What is a 'partner'?", statement_id=statement)
        a.exchange.export([aid], tmp_path / "one.mdx.json")
        doc = json.loads((tmp_path / "one.mdx.json").read_text("utf-8"))
        assert [f["id"] for f in doc["feedback"]] == [first]
        result = b.exchange.import_paths([tmp_path / "one.mdx.json"])
        assert aid in result.changed
        [got] = b.feedback.for_assessment(aid)
        assert (got.id, got.statement_id, got.kind, got.author) == (
            first,
            statement,
            FeedbackKind.CLARITY,
            "ann",
        )
        audit = [e.detail for e in b.assessments.audit(aid)]
        assert "1 new feedback on the matrix from the file" in audit

        # B changes its copy's text; A adds one more. A's file brings only the new one:
        # the one B holds is kept as B has it (never overwritten).
        from matrix_desktop.core.commands import Edit, Target

        b.assessments.execute(
            Edit(
                Target("feedback", aid, "d1", item_id=first),
                {"text": "What is a 'partner'?"},
                {"text": "B's wording of the question"},
            )
        )
        second = _add(a, aid, "Too long", kind="rewording", wording="Shorter")
        a.exchange.export([aid], tmp_path / "two.mdx.json")
        plan = b.exchange.preview([tmp_path / "two.mdx.json"])
        assert [f.id for f, _k, _v in plan.new_feedback] == [second]
        assert "1 new feedback on the matrix" in plan.summary()
        b.exchange.apply(plan)
        texts = {f.id: f.text for f in b.feedback.for_assessment(aid)}
        assert texts == {first: "B's wording of the question", second: "Too long"}
        again = b.exchange.preview([tmp_path / "two.mdx.json"])
        assert again.new_feedback == () and not again.has_changes
    finally:
        a.close()
        b.close()


def _resealed(doc: dict) -> bytes:  # type: ignore[type-arg]
    doc["checksum"] = content_checksum(doc)
    return json.dumps(doc).encode("utf-8")


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda f: f.update(kind="opinion"), "feedback[0].kind"),
        (lambda f: f.update(domain="d9"), "feedback[0].domain: 'd9' is not a domain"),
        (lambda f: f.update(statement="d2.thriving.1"), "feedback[0].statement:"),
        (
            lambda f: f.update(assessment_id="00000000-0000-4000-8000-00000000000a"),
            "feedback[0].assessment_id: not an assessment in this file",
        ),
        (lambda f: f.update(kind="rewording", wording=""), "feedback[0].wording:"),
        (lambda f: f.update(text=""), "feedback[0].text"),
        (lambda f: f.pop("created_at"), "feedback[0].created_at"),
    ],
)
def test_bad_feedback_records_are_refused_with_the_path(tmp_path: Path, change, said) -> None:
    a = open_db(tmp_path / "a.sqlite3", "ann")
    b = open_db(tmp_path / "b.sqlite3", "bob")
    try:
        aid = new_assessment(a, small_framework()).id
        _add(a, aid, "Unclear")
        a.exchange.export([aid], tmp_path / "one.mdx.json")
        doc = json.loads((tmp_path / "one.mdx.json").read_text("utf-8"))
        change(doc["feedback"][0])
        bad = tmp_path / "bad.mdx.json"
        bad.write_bytes(_resealed(doc))
        with pytest.raises(DataFileError) as caught:
            b.exchange.import_paths([bad])
        assert said in str(caught.value)
        assert b.assessments.assessments() == []  # nothing was imported
    finally:
        a.close()
        b.close()


def test_a_file_without_feedback_has_no_feedback_key(tmp_path: Path) -> None:
    a = open_db(tmp_path / "a.sqlite3", "ann")
    try:
        aid = new_assessment(a, small_framework()).id
        a.exchange.export([aid], tmp_path / "one.mdx.json")
        assert "feedback" not in json.loads((tmp_path / "one.mdx.json").read_text("utf-8"))
    finally:
        a.close()


def test_feedback_kept_while_the_server_was_out_of_reach_goes_to_the_file(tmp_path: Path) -> None:
    from matrix_desktop.services.unsaved import LastSeen, write_kept_edits

    a = open_db(tmp_path / "a.sqlite3", "ann")
    b = open_db(tmp_path / "b.sqlite3", "bob")
    try:
        fw = small_framework()
        aid = new_assessment(a, fw).id
        a.exchange.export([aid], tmp_path / "start.mdx.json")
        b.exchange.import_paths([tmp_path / "start.mdx.json"])
        record = a.assessments.record(aid)
        entity = a.catalog.entity(record.assessment.entity_id)
        seen = LastSeen(
            record,
            fw,
            entity,
            a.catalog.system(entity.system_id),
            a.catalog.round(record.assessment.round_id),
        )
        kept = a.feedback.add(aid, "d1", "rewording", "Wordy", wording="Plainer")
        path = write_kept_edits([kept], {aid: seen}, tmp_path / "kept.mdx.json")
        b.exchange.import_paths([path])
        [got] = b.feedback.for_assessment(aid)
        assert (got.id, got.kind, got.wording) == (
            kept.target.item_id,
            FeedbackKind.REWORDING,
            "Plainer",
        )
        assert b.assessments.record(aid).assessment.kind.value == "self_assessment"
    finally:
        a.close()
        b.close()
