"""Feedback on the matrix: recorded through the one edit path (audited, undoable, checked
against the values seen), read per framework version, exported to XLSX and CSV."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook

from matrix_desktop.core.errors import EditConflict, FinalisedError, ValidationFailed
from matrix_desktop.core.feedback import FeedbackKind
from matrix_desktop.services.feedback import (
    FEEDBACK_HEADERS,
    PER_STATEMENT_HEADERS,
    export_feedback,
)


@pytest.fixture
def aid(services, place, syb):
    return services.assessments.create(place.id, syb, "2030/31 Q1", facilitator="Fay").id


def _first_statement(syb, domain="leadership"):
    return syb.domain(domain).statements[0]


def test_add_undo_redo_and_audit(services, syb, aid):
    st = _first_statement(syb)
    edit = services.feedback.add(
        aid, "leadership", "clarity", "What counts as 'shared'?", statement_id=st.id
    )
    change = services.assessments.execute(edit)
    assert "feedback" in change.parts and change.feedback.kind is FeedbackKind.CLARITY
    [fb] = services.feedback.for_assessment(aid)
    assert (fb.statement_id, fb.text, fb.author) == (st.id, "What counts as 'shared'?", "tester")
    assert fb.created_at
    event = services.assessments.audit(aid)[0]
    assert event.action == "feedback" and event.domain_key == "leadership"
    assert "clarity" in event.detail and "What counts" in event.detail

    services.assessments.revert(edit)
    assert services.feedback.for_assessment(aid) == []
    assert services.assessments.audit(aid)[0].action == "undo feedback"
    services.assessments.execute(edit)  # redo: the same feedback, the same id
    assert [f.id for f in services.feedback.for_assessment(aid)] == [fb.id]


def test_rewording_on_the_domain_and_withdraw(services, syb, aid):
    edit = services.feedback.add(
        aid, "governance", FeedbackKind.REWORDING, "Too long", wording="Partners govern together"
    )
    services.assessments.execute(edit)
    [fb] = services.feedback.for_assessment(aid)
    assert fb.statement_id is None and fb.wording == "Partners govern together"
    withdraw = services.feedback.withdraw(fb.id)
    services.assessments.execute(withdraw)
    assert services.feedback.for_assessment(aid) == []
    services.assessments.revert(withdraw)
    assert [f.text for f in services.feedback.for_assessment(aid)] == ["Too long"]


@pytest.mark.parametrize(
    ("args", "kwargs", "field"),
    [
        (("nonsense", "clarity", "x"), {}, "Domain:"),
        (("leadership", "clarity", "x"), {"statement_id": "governance.thriving.1"}, "Statement:"),
        (("leadership", "opinion", "x"), {}, "Kind of feedback:"),
        (("leadership", "clarity", "   "), {}, "Feedback text:"),
        (("leadership", "rewording", "Why"), {}, "Suggested wording:"),
    ],
)
def test_bad_feedback_is_refused_naming_the_field_and_nothing_changes(
    services, aid, args, kwargs, field
):
    before = len(services.assessments.audit(aid))
    with pytest.raises(ValidationFailed) as caught:
        services.feedback.add(aid, *args, **kwargs)
    assert str(caught.value).startswith(field)
    assert services.feedback.for_assessment(aid) == []
    assert len(services.assessments.audit(aid)) == before


def test_a_changed_text_is_a_conflict_not_an_overwrite(services, aid):
    edit = services.feedback.add(aid, "leadership", "clarity", "First")
    services.assessments.execute(edit)
    [fb] = services.feedback.for_assessment(aid)
    from matrix_desktop.core.commands import Edit, Target

    theirs = Edit(
        Target("feedback", aid, "leadership", item_id=fb.id), {"text": "First"}, {"text": "Theirs"}
    )
    services.assessments.execute(theirs)
    mine = Edit(
        Target("feedback", aid, "leadership", item_id=fb.id), {"text": "First"}, {"text": "Mine"}
    )
    with pytest.raises(EditConflict):
        services.assessments.execute(mine)
    assert services.feedback.for_assessment(aid)[0].text == "Theirs"


def test_a_final_assessment_takes_no_feedback(services, aid):
    services.assessments.execute(services.assessments.finalise(aid))
    with pytest.raises(FinalisedError):
        services.assessments.execute(services.feedback.add(aid, "leadership", "clarity", "x"))


def test_programme_office_reads_per_version_with_counts_and_exports(
    services, syb, place, aid, tmp_path
):
    st = _first_statement(syb)
    for text in ("One", "Two"):
        services.assessments.execute(
            services.feedback.add(aid, "leadership", "clarity", text, statement_id=st.id)
        )
    services.assessments.execute(
        services.feedback.add(aid, "governance", "rewording", "Long", wording="Short")
    )
    versions = {
        (v.framework_key, v.framework_version): v.count for v in services.feedback.versions()
    }
    assert versions[(syb.key, syb.version)] == 3
    items = services.feedback.items(syb.key, syb.version)
    assert [i.feedback.text for i in items] == ["One", "Two", "Long"]
    assert items[0].entity_name == place.name and items[0].round_name == "2030/31 Q1"
    assert items[0].statement_text == st.text
    only = services.feedback.items(syb.key, syb.version, kind=FeedbackKind.REWORDING)
    assert [i.feedback.text for i in only] == ["Long"]

    xlsx = export_feedback(items, tmp_path / "feedback.xlsx")
    sheet = load_workbook(xlsx).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == FEEDBACK_HEADERS
    assert rows[1][FEEDBACK_HEADERS.index("On this statement")] == "2"
    assert rows[3][FEEDBACK_HEADERS.index("Suggested wording")] == "Short"
    written = export_feedback(items, tmp_path / "feedback.csv")
    with open(written, encoding="utf-8-sig", newline="") as f:
        lines = list(csv.reader(f))
    assert lines[0] == list(FEEDBACK_HEADERS) and len(lines) == 4
    grouped = export_feedback(items, tmp_path / "per-statement.csv", per_statement_rows=True)
    with open(grouped, encoding="utf-8-sig", newline="") as f:
        lines = list(csv.reader(f))
    assert lines[0] == list(PER_STATEMENT_HEADERS)
    assert [line[4:7] for line in lines[1:]] == [["2", "0", "2"], ["0", "1", "1"]]
    assert lines[1][3] == st.text and lines[2][3] == "(the domain as a whole)"
    with pytest.raises(ValidationFailed, match="must end in .xlsx or .csv"):
        export_feedback(items, tmp_path / "feedback.pdf")


def test_the_trash_keeps_feedback_with_its_assessment(services, aid):
    services.assessments.execute(services.feedback.add(aid, "leadership", "clarity", "Kept"))
    edit = services.trash.delete(aid, "made by mistake")
    assert services.feedback.items() == []
    services.trash.undo(edit)
    assert [f.text for f in services.feedback.for_assessment(aid)] == ["Kept"]
