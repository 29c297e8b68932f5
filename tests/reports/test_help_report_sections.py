"""Help matched to need in the system summary; help offered and received in both entities'
peer-review reports (PDF read with pypdf, DOCX with python-docx), on the example data."""

from __future__ import annotations

from docx import Document
from pypdf import PdfReader
from report_fixtures import ROUND, SYSTEM, squash

NOTE = "Sheffield offered help to Barnsley on governance"


def _pdf_text(path) -> str:  # type: ignore[no-untyped-def]
    return squash(" ".join(page.extract_text() for page in PdfReader(path).pages))


def _docx(path) -> tuple[list[str], list[list[str]], str]:  # type: ignore[no-untyped-def]
    doc = Document(str(path))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading ")]
    rows = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    text = squash(" | ".join([c for r in rows for c in r] + [p.text for p in doc.paragraphs]))
    return headings, rows, text


def _pair(services):  # type: ignore[no-untyped-def]
    rnd = services.catalog.find_round(ROUND)
    sheffield = services.catalog.find_entity("Sheffield")
    barnsley = services.catalog.find_entity("Barnsley")
    services.assessments.execute(
        services.help_match.record(sheffield, barnsley, "governance", rnd.id, NOTE)
    )
    return sheffield, barnsley


def test_system_summary_shows_each_request_and_who_could_help(services, reports, tmp_path):
    _pair(services)
    model = reports.system_summary(SYSTEM, ROUND)
    assert model.help, "the example data has requests for support in this round"
    governance = [h for h in model.help if h.domain == "Governance" and h.helpers]
    assert governance, "someone rated governance Maturing or Thriving in this round"
    helper = governance[0].helpers[0]
    alone = [h for h in model.help if not h.helpers]  # nobody else strong: said so
    pdf = _pdf_text(reports.write_system_summary(SYSTEM, ROUND, tmp_path / "s.pdf"))
    headings, rows, docx = _docx(reports.write_system_summary(SYSTEM, ROUND, tmp_path / "s.docx"))
    assert "Help matched to need" in headings
    for text in (pdf, docx):
        assert "Help matched to need" in text
        assert "Maturing or Thriving" in text
        assert squash(governance[0].request) in text
        assert squash(helper) in text
        assert "Pairings recorded" in text and NOTE in text
        if alone:
            assert "Nobody rated this domain Maturing or Thriving in this round." in text
    assert any(r[0] == "Governance" and governance[0].asker in r[1] for r in rows)


def test_both_entities_peer_review_reports_show_the_pairing(services, reports, tmp_path):
    sheffield, barnsley = _pair(services)
    for entity, role in ((sheffield, "Offered"), (barnsley, "Received")):
        pdf = _pdf_text(reports.write_peer_review(entity.name, ROUND, tmp_path / "r.pdf"))
        headings, rows, docx = _docx(
            reports.write_peer_review(entity.name, ROUND, tmp_path / "r.docx")
        )
        assert "Help offered and received" in headings
        for text in (pdf, docx):
            assert "Help offered and received" in text
            assert f"{sheffield.name} offered help to {barnsley.name} on Governance" in text
            assert NOTE in text
        row = next(r for r in rows if NOTE in r)
        assert row[:2] == [ROUND, role] and row[3] == "Offered"


def test_no_pairing_yet_is_said(reports, tmp_path):
    headings, rows, docx = _docx(reports.write_peer_review("Doncaster", ROUND, tmp_path / "d.docx"))
    assert "Help offered and received" in headings
    assert "No pairing with Doncaster Place Partnership has been recorded" in docx
