"""The peer-review report's improvement-plan pages: what changed since last round (PDF, DOCX)."""

from __future__ import annotations

from dataclasses import replace

from docx import Document
from pypdf import PdfReader
from report_fixtures import squash

from matrix_desktop.core.model import Action, ActionStatus
from matrix_desktop.services.reports import ReportService

ENTITY = "Testshire Place Partnership"
FIRST, SECOND = "2030/31 Q1", "2030/31 Q2"
ESTATES = Action(
    "77777777-7777-4777-8777-777777777777", "Joint estates plan", "Ann Able", "2031-03-31"
)
RECORD = Action(
    "88888888-8888-4888-8888-888888888888", "Shared care record", "Bob Baker", "2020-01-01"
)


def _two_rounds(services, place, syb) -> None:  # type: ignore[no-untyped-def]
    """Round one: stages, two actions and two targets, final; round two moves the stages."""
    svc = services.assessments
    first = svc.create(place.id, syb, FIRST, facilitator="Fay")
    svc.execute(svc.edit_rating(first.id, "leadership", stage="developing"))
    svc.execute(svc.edit_rating(first.id, "governance", stage="maturing", actions=(ESTATES,)))
    svc.execute(svc.edit_rating(first.id, "leadership", actions=(RECORD,)))
    svc.execute(services.plan.set_target(first.id, "leadership", "maturing", "2031-03-31").edit)
    svc.execute(services.plan.set_target(first.id, "governance", "thriving", None).edit)
    svc.execute(svc.finalise(first.id))
    second = svc.create(place.id, syb, SECOND, facilitator="Fay")  # takes the actions over
    svc.execute(svc.edit_rating(second.id, "leadership", stage="maturing"))
    svc.execute(svc.edit_rating(second.id, "governance", stage="emerging"))
    svc.execute(
        services.plan.set_action_status(
            ESTATES.id, ActionStatus.DONE, completed_on="2030-12-01", entity_id=place.id
        )
    )


def _pdf_text(path) -> str:  # type: ignore[no-untyped-def]
    return squash(" ".join(page.extract_text() for page in PdfReader(path).pages))


def _docx(path) -> tuple[list[str], str]:  # type: ignore[no-untyped-def]
    doc = Document(str(path))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading ")]
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    paras = [p.text for p in doc.paragraphs]
    return headings, squash(" | ".join(cells + paras))


def test_what_changed_since_last_round_in_pdf_and_docx(services, place, syb, tmp_path):
    _two_rounds(services, place, syb)
    reports = ReportService(services)
    pdf = _pdf_text(reports.write_peer_review(ENTITY, SECOND, tmp_path / "r.pdf"))
    headings, docx = _docx(reports.write_peer_review(ENTITY, SECOND, tmp_path / "r.docx"))
    assert "What changed since last round" in headings
    assert {"Stages up and down", "Targets met", "Actions done", "Actions overdue"} <= set(headings)
    for text in (pdf, docx):
        assert "What changed since last round" in text
        assert f"compared with its self-assessment in {FIRST}" in text
        assert "1 domain moved up, 1 moved down" in text
        assert "Leadership" in text and "+1 stage" in text and "\u22122 stages" in text
        assert f"1 of 2 targets set in {FIRST} is met" in text
        assert "Thriving" in text and "3 stages to go" in text
        assert "Maturing by 2031-03-31" in text
        # done since last round, with owner, due and completion dates
        assert "Joint estates plan" in text and "Ann Able" in text and "2030-12-01" in text
        # still open and past its due date
        assert "Shared care record" in text and "Bob Baker" in text and "2020-01-01" in text
    # The table cells in the Word document hold the values one by one.
    doc = Document(str(tmp_path / "r.docx"))
    rows = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    assert ["Governance", "Thriving", "Emerging", "3 stages to go"] in rows
    assert ["Leadership", "Maturing by 2031-03-31", "Maturing", "met"] in rows
    assert any(
        r[:4] == ["Leadership", "Shared care record", "Bob Baker", "2020-01-01"] for r in rows
    )


def test_no_previous_round_is_said_plainly(services, place, syb, tmp_path):
    svc = services.assessments
    first = svc.create(place.id, syb, FIRST, facilitator="Fay")
    svc.execute(svc.edit_rating(first.id, "leadership", stage="developing"))
    reports = ReportService(services)
    pdf = _pdf_text(reports.write_peer_review(ENTITY, FIRST, tmp_path / "one.pdf"))
    headings, docx = _docx(reports.write_peer_review(ENTITY, FIRST, tmp_path / "one.docx"))
    assert "What changed since last round" in headings
    for text in (pdf, docx):
        assert (
            f"There is no previous round to compare with: {ENTITY} has no self-assessment in a "
            f"round before {FIRST}." in text
        )
        assert "moved up" not in text


def test_action_plan_and_targets_in_pdf_and_docx(services, place, syb, tmp_path):
    _two_rounds(services, place, syb)
    svc = services.assessments
    second = ReportService(services).self_assessment(place, services.catalog.find_round(SECOND))
    later = Action(
        "99999999-9999-4999-8999-999999999999", "Workforce plan", "Cara Cole", "2999-06-30"
    )
    svc.execute(
        svc.edit_rating(second.id, "governance", actions=(*_actions(svc, second.id), later))
    )
    svc.execute(services.plan.set_target(second.id, "leadership", "thriving", "2001-01-01").edit)
    reports = ReportService(services)
    pdf = _pdf_text(reports.write_peer_review(ENTITY, SECOND, tmp_path / "p.pdf"))
    headings, docx = _docx(reports.write_peer_review(ENTITY, SECOND, tmp_path / "p.docx"))
    assert {"Action plan and targets", "Action plan", "Targets"} <= set(headings)
    for text in (pdf, docx):
        assert f"2 actions open or in progress in {SECOND}, 1 of them overdue" in text
        assert "Workforce plan" in text and "Cara Cole" in text and "2999-06-30" in text
        assert "Open, overdue" in text
        assert "Leadership: the target date 2001-01-01 has passed." in text
    rows = [
        [c.text for c in row.cells]
        for t in Document(str(tmp_path / "p.docx")).tables
        for row in t.rows
    ]
    plan = [r for r in rows if r[0] in ("Leadership", "Governance") and len(r) == 5]
    assert ["Leadership", "Shared care record", "Bob Baker", "2020-01-01", "Open, overdue"] in plan
    assert ["Governance", "Workforce plan", "Cara Cole", "2999-06-30", "Open"] in plan
    # done actions are not in the plan; the targets carry the distance to them
    assert not any(r[1] == "Joint estates plan" and r[-1].startswith("Open") for r in plan)
    assert ["Leadership", "Maturing", "Thriving", "2001-01-01", "1 stage to go"] in rows
    assert ["Governance", "Emerging", "Thriving", "\u2014", "3 stages to go"] in rows


def test_no_actions_and_no_targets_are_said(services, place, syb, tmp_path):
    svc = services.assessments
    first = svc.create(place.id, syb, FIRST, facilitator="Fay")
    svc.execute(svc.edit_rating(first.id, "leadership", stage="developing"))
    reports = ReportService(services)
    pdf = _pdf_text(reports.write_peer_review(ENTITY, FIRST, tmp_path / "none.pdf"))
    _, docx = _docx(reports.write_peer_review(ENTITY, FIRST, tmp_path / "none.docx"))
    for text in (pdf, docx):
        assert f"No action is open or in progress in {FIRST}'s self-assessment." in text
        assert f"No targets are set in {FIRST}'s self-assessment." in text


def _actions(svc, assessment_id):  # type: ignore[no-untyped-def]
    return svc.record(assessment_id).rating("governance").actions


def test_changes_count_only_new_done_and_skip_stages_of_another_version(syb):
    from matrix_desktop.core.model import Assessment, AssessmentRecord, Rating
    from matrix_desktop.services.report_data import round_changes

    old_done = Action(
        "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa", "Done long ago", status=ActionStatus.DONE
    )
    now_done = Action("bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb", "Done now", status=ActionStatus.DONE)

    def record(aid: str, version: str, stage: str, *actions: Action) -> AssessmentRecord:
        a = Assessment(aid, "e", syb.key, version, "r")
        return AssessmentRecord(a, (Rating(aid, "leadership", stage=stage, actions=actions),))

    domains = [syb.domain("leadership")]
    prev = record(
        "p", syb.version, "emerging", old_done, replace(now_done, status=ActionStatus.OPEN)
    )
    own = record("o", syb.version, "developing", old_done, now_done)
    ch = round_changes(syb, domains, own, prev, "Q1", "2030-01-01")
    assert [x.what for x in ch.done] == ["Done now"]
    assert [(c.domain, c.steps) for c in ch.up] == [(domains[0].title, 1)]
    other = record("p", "v0-9", "emerging", old_done)
    ch = round_changes(syb, domains, own, other, "Q1", "2030-01-01")
    assert not ch.compared and ch.up == () and ch.targets == ()
    assert [x.what for x in ch.done] == ["Done now"]
    assert round_changes(syb, domains, own, None, "", "2030-01-01").previous_round == ""


def test_domain_pages_show_each_actions_status_and_overdue(services, place, syb, tmp_path):
    _two_rounds(services, place, syb)
    reports = ReportService(services)
    path = reports.write_peer_review(ENTITY, SECOND, tmp_path / "d.docx")
    rows = [[c.text for c in row.cells] for t in Document(str(path)).tables for row in t.rows]
    assert ["Action", "Who", "By when", "Status"] in rows
    # the domain page's own table: carried-over actions keep their status
    assert ["Shared care record", "Bob Baker", "2020-01-01", "Open, overdue"] in rows
    assert ["Joint estates plan", "Ann Able", "2031-03-31", "Done"] in rows
    pdf = _pdf_text(reports.write_peer_review(ENTITY, SECOND, tmp_path / "d.pdf"))
    assert "By when Status" in pdf and "Done" in pdf


def test_data_export_actions_carry_status_completion_and_note(services, place, syb):
    _two_rounds(services, place, syb)
    (table,) = [
        t
        for t in ReportService(services).data_tables([ENTITY], None, SECOND)
        if t.name == "actions"
    ]
    assert table.columns[-6:] == ("action", "owner", "due", "status", "completed", "note")
    by_what = {r[table.columns.index("action")]: r for r in table.rows}
    assert by_what["Joint estates plan"][-3:] == ("done", "2030-12-01", "")
    assert by_what["Shared care record"][-3:-1] == ("open", "")


def test_system_summary_has_the_action_plan_across_the_system(services, place, syb, tmp_path):
    _two_rounds(services, place, syb)
    svc = services.assessments
    second = ReportService(services).self_assessment(place, services.catalog.find_round(SECOND))
    svc.execute(svc.finalise(second.id))
    reports = ReportService(services)
    pdf = _pdf_text(reports.write_system_summary("Test ICS", SECOND, tmp_path / "s.pdf"))
    headings, docx = _docx(reports.write_system_summary("Test ICS", SECOND, tmp_path / "s.docx"))
    assert "Action plan across the system" in headings
    for text in (pdf, docx):
        assert "1 action open or in progress across 1 entity" in text
        assert "1 overdue" in text
    rows = [
        [c.text for c in row.cells]
        for t in Document(str(tmp_path / "s.docx")).tables
        for row in t.rows
    ]
    assert [
        ENTITY,
        "Leadership",
        "Shared care record",
        "Bob Baker",
        "2020-01-01",
        "Open, overdue",
    ] in rows
    # done actions are not in it, and as at the first round the plan is that round's
    assert not any("Joint estates plan" in r for r in rows)
    early = reports.system_summary("Test ICS", FIRST)
    assert sorted(x.what for x in early.plan) == ["Joint estates plan", "Shared care record"]


def test_system_summary_without_actions_says_so(services, place, syb, tmp_path):
    svc = services.assessments
    first = svc.create(place.id, syb, FIRST, facilitator="Fay")
    svc.execute(svc.edit_rating(first.id, "leadership", stage="developing"))
    svc.execute(svc.finalise(first.id))
    reports = ReportService(services)
    _, docx = _docx(reports.write_system_summary("Test ICS", FIRST, tmp_path / "n.docx"))
    assert f"No action is open or in progress in the final self-assessments up to {FIRST}." in docx
