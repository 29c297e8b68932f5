"""Board-ready outputs: DOCX reports, legible print (no text under 7 pt), round rules, drafts."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document
from pdf_checks import rendered_orientations, small_text
from pypdf import PdfReader
from report_fixtures import ENTITY, ROUND, SYSTEM, pdftotext, squash

from matrix_desktop.core.errors import ValidationFailed
from matrix_desktop.reports.models import DocumentOptions

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils")


def _headings(doc) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    return [
        (int(p.style.name.split()[-1]), p.text)
        for p in doc.paragraphs
        if p.style.name.startswith("Heading ")
    ]


def _outline(path: Path) -> list[str]:
    titles: list[str] = []

    def walk(items) -> None:  # type: ignore[no-untyped-def]
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(PdfReader(path).outline)
    return titles


def _all_text(doc) -> str:  # type: ignore[no-untyped-def]
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return squash("\n".join(parts))


def test_peer_review_docx_has_headings_tables_images_and_page_numbers(reports, tmp_path):
    path = reports.write_peer_review(ENTITY, ROUND, tmp_path / "peer.docx")
    doc = Document(str(path))
    model = reports.peer_review_report(ENTITY, ROUND)
    headings = _headings(doc)
    level1 = [t for level, t in headings if level == 1]
    assert "Summary" in level1 and "Appendix: the framework as published" in level1
    for s in model.sections:
        assert f"{s.number}. {s.title}" in level1
    assert (2, "Stages at a glance") in headings and (3, "Evidence") in headings
    # tables are Word tables: the stages at a glance, with a header row repeated on each page
    glance = next(t for t in doc.tables if t.rows[0].cells[0].text == "Domain")
    assert [c.text for c in glance.rows[0].cells][:3] == ["Domain", "Agreed stage", "Peer view"]
    assert len(glance.rows) == len(model.sections) + 1
    assert "w:tblHeader" in glance.rows[0]._tr.xml
    # charts are images at print resolution with alternative text
    shapes = list(doc.inline_shapes)
    assert len(shapes) == 3
    for shape in shapes:
        alt = shape._inline.docPr.get("descr")
        assert alt and len(alt) > 40
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        image = doc.part.related_parts[blip.embed].image
        inches = shape.width.inches
        assert image.px_width / inches >= 290  # about 300 pixels per inch as placed
    assert model.sections[0].title in shapes[0]._inline.docPr.get("descr")
    # page numbers: PAGE and NUMPAGES fields in the footer
    footer = doc.sections[0].footer.paragraphs[0]._p.xml
    assert " PAGE " in footer and " NUMPAGES " in footer
    assert doc.core_properties.title == f"Peer-review report: {ENTITY}, {ROUND}"
    assert doc.core_properties.author == ""  # no personal name unless asked
    # the same content as the PDF: its bookmarks are the DOCX's Heading 1 and 2
    pdf = reports.write_peer_review(ENTITY, ROUND, tmp_path / "peer.pdf")
    assert _outline(pdf) == ["Contents"] + [t for level, t in headings if level <= 2]
    assert [p.text for p in doc.paragraphs if p.style.name == "TOC Heading"] == ["Contents"]
    text = _all_text(doc)
    assert "Dr Peer Reviewer" in text and "a<b" in text and "AT&T" in text


def test_docx_on_a_draft_says_so_on_every_page(reports, services, tmp_path):
    own = reports.self_assessment(
        services.catalog.find_entity(ENTITY), services.catalog.find_round(ROUND)
    )
    services.assessments.execute(services.assessments.reopen(own.id, "add the March minutes"))
    doc = Document(str(reports.write_peer_review(ENTITY, ROUND, tmp_path / "draft.docx")))
    header = " ".join(p.text for p in doc.sections[0].header.paragraphs)
    assert "DRAFT: the self-assessment is not final" in header  # a header is on every page
    assert doc.paragraphs[0].text == "Peer-review report — DRAFT"
    assert doc.core_properties.title.startswith("DRAFT ")
    facts = {r.cells[0].text: r.cells[1].text for r in doc.tables[0].rows}
    assert facts["Self-assessment status"] == "Draft"
    assert facts["Peer review status"] == "Final"  # the review shows its own status


def test_system_summary_docx_single_view_on_a_landscape_section(reports, tmp_path):
    path = reports.write_system_summary(SYSTEM, None, tmp_path / "system.docx")
    doc = Document(str(path))
    model = reports.system_summary(SYSTEM)
    orientations = [s.page_width > s.page_height for s in doc.sections]
    assert orientations == [False, True, False]  # only the single view is turned
    views = [t for t in doc.tables if [c.text for c in t.rows[0].cells[:2]] == ["Entity", "Round"]]
    assert len(views) == 2  # 13 domains: split in two so every cell stays legible
    for view in views:
        names = [r.cells[0].text for r in view.rows[1:]]
        assert names == [e.name for e in model.entities]
        assert all(r.cells[1].text == ROUND for r in view.rows[1:])  # the round beside each
    # the entity column is wide enough for names: in the grid (LibreOffice) and cells (Word)
    assert abs(views[0].columns[0].width.mm - 48) < 0.5
    assert abs(views[0].rows[1].cells[0].width.mm - 48) < 0.5
    numbers = [c.text for v in views for c in v.rows[0].cells[2:]]
    assert numbers == [str(i) for i in range(1, 14)]
    text = _all_text(doc)
    for i, title in enumerate(model.heatmap.domains, start=1):
        assert f"{i}. {title}" in text  # the key names every domain in full
    assert len(doc.inline_shapes) == 1  # the small multiples
    assert doc.inline_shapes[0]._inline.docPr.get("descr")


def test_every_pdf_page_prints_no_text_under_7pt_and_turns_only_the_single_view(reports, tmp_path):
    peer = reports.write_peer_review(ENTITY, ROUND, tmp_path / "peer.pdf")
    system = reports.write_system_summary(SYSTEM, None, tmp_path / "system.pdf")
    assert small_text(peer) == []
    assert small_text(system) == []
    (tmp_path / "peer").mkdir()
    (tmp_path / "system").mkdir()
    assert set(rendered_orientations(peer, tmp_path / "peer")) == {"portrait"}
    pages = rendered_orientations(system, tmp_path / "system")
    turned = [n for n, o in enumerate(pages, start=1) if o == "landscape"]
    assert turned and all("single view" in pdftotext(system, n, n) for n in turned[:1])
    reader = PdfReader(system)
    single = squash(" ".join(reader.pages[n - 1].extract_text() for n in turned))
    for e in reports.system_summary(SYSTEM).entities:
        assert squash(e.name) in single


def test_worksheets_print_no_text_under_7pt(reports, tmp_path):
    path = reports.write_worksheets(
        "syb-place-development-matrix", tmp_path / "w.pdf", options=DocumentOptions()
    )
    assert small_text(path) == []


def test_summary_as_at_a_round_keeps_every_entity_with_the_round_it_came_from(
    reports, services, tmp_path
):
    barnsley = services.catalog.find_entity(ENTITY)
    own = reports.self_assessment(barnsley, services.catalog.find_round(ROUND))
    fw = services.assessments.framework_of(own)
    newer = services.assessments.create(
        barnsley.id, fw, "2030 Q1", facilitator="Fay", carry_forward_from=own.id
    )
    services.assessments.execute(services.assessments.finalise(newer.id))
    model = reports.system_summary(SYSTEM)
    assert model.round == "2030 Q1"  # the newest round with data
    rounds = {e.name: e.round for e in model.entities}
    assert len(rounds) == 9  # nobody hidden by Barnsley's newer round
    (other,) = model.missing  # against another framework: listed, not hidden
    assert other.startswith("South Yorkshire and Bassetlaw ICS (system level) (uses ")
    assert rounds[ENTITY] == "2030 Q1"
    assert {r for n, r in rounds.items() if n != ENTITY} == {ROUND}
    earlier = reports.system_summary(SYSTEM, "2020/21 Q4")
    assert {e.round for e in earlier.entities} == {"2020/21 Q4"}
    # a draft is not a final self-assessment: reopened, Barnsley falls back to its last final
    services.assessments.execute(services.assessments.reopen(newer.id, "more evidence"))
    assert {e.name: e.round for e in reports.system_summary(SYSTEM).entities}[ENTITY] == ROUND
    path = reports.write_system_summary(SYSTEM, "2030 Q1", tmp_path / "s.pdf")
    assert "as at 2030 Q1" in squash(pdftotext(path, 1, 1))


def test_an_entity_with_no_final_self_assessment_is_listed_not_hidden(reports, services):
    sheffield = services.catalog.find_entity("Sheffield Place Partnership")
    for a in services.assessments.assessments(sheffield.id):
        services.assessments.execute(services.assessments.reopen(a.id, "redo"))
    model = reports.system_summary(SYSTEM)
    assert "Sheffield Place Partnership" not in [e.name for e in model.entities]
    assert any(m.startswith("Sheffield Place Partnership (no final") for m in model.missing)


def test_report_format_must_match_the_file(reports, tmp_path):
    with pytest.raises(ValidationFailed, match="needs a .docx file name"):
        reports.write_peer_review(ENTITY, ROUND, tmp_path / "x.pdf", fmt="docx")
    with pytest.raises(ValidationFailed, match="pdf or docx"):
        reports.write_peer_review(ENTITY, ROUND, tmp_path / "x.odt", fmt="odt")
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "x.odt").exists()


def test_docx_is_a_valid_package(reports, tmp_path):
    path = reports.write_peer_review(
        ENTITY, ROUND, tmp_path / "p.docx", DocumentOptions(include_charts=False)
    )
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        assert "word/document.xml" in z.namelist()
    assert "chart not included" in _all_text(Document(str(path)))
