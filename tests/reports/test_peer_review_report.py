"""Tests for the peer-review PDF: content, fonts, structure, safety, metadata, determinism."""

from __future__ import annotations

import re
import time

import pytest
from report_fixtures import (
    ENTITY,
    EVIDENCE,
    INJECTIONS,
    ROUND,
    assert_fonts_embedded,
    assert_qpdf_ok,
    page_count,
    pdfinfo,
    pdftotext,
    squash,
    uncompressed,
)

from matrix_desktop.core.errors import NotFound, ValidationFailed
from matrix_desktop.reports.models import DocumentOptions
from matrix_desktop.reports.peer_review import build_peer_review

DETERMINISTIC = DocumentOptions(deterministic=True)


@pytest.fixture(scope="module")
def peer_pdf(example_db, tmp_path_factory):  # type: ignore[no-untyped-def]
    """One full peer-review PDF (with charts) shared by the read-only checks below."""
    from matrix_desktop.services.context import open_services
    from matrix_desktop.services.reports import ReportService

    svc = open_services(example_db, read_only=True)
    try:
        path = tmp_path_factory.mktemp("peer") / "peer.pdf"
        ReportService(svc).write_peer_review(ENTITY, ROUND, path, DETERMINISTIC)
        report = ReportService(svc).peer_review_report(ENTITY, ROUND)
    finally:
        svc.close()
    return path, report


def test_text_has_entity_domains_stages_and_evidence(peer_pdf):
    path, report = peer_pdf
    text = squash(pdftotext(path))
    assert ENTITY in text
    assert "Dr Peer Reviewer" in text
    for section in report.sections:
        assert f"{section.number}. {squash(section.title)}" in text
    for stage in ("Emerging", "Developing", "Maturing", "Thriving"):
        assert stage in text
    assert "Evidence line one: the board met monthly." in text
    assert "Peer comment on Leadership." in text
    assert f"Page 1 of {page_count(path)}" in text


def test_chart_text_is_searchable(peer_pdf):
    path, _ = peer_pdf
    summary = squash(pdftotext(path, 3, 6))
    assert f"Self-assessment {ROUND}" in summary  # the radar legend, as text
    assert f"Peer review {ROUND}" in summary


def test_injection_strings_print_literally_and_make_no_link(peer_pdf, tmp_path):
    path, _ = peer_pdf
    text = squash(pdftotext(path))
    for s in INJECTIONS:
        assert s in text
    raw = uncompressed(path, tmp_path)
    assert b"/URI" not in raw
    assert b"/Launch" not in raw
    assert b"/JavaScript" not in raw
    # no image was read: the PDF holds no image at all (charts are vector drawings)
    assert b"/Subtype /Image" not in raw


def test_every_font_is_embedded_and_the_file_is_valid(peer_pdf):
    path, _ = peer_pdf
    assert_fonts_embedded(path)
    assert_qpdf_ok(path)


def test_structure_cover_contents_domains_appendix(peer_pdf):
    path, report = peer_pdf
    pages = page_count(path)
    # cover, contents, summary (>= 1), one page or more per domain, appendix (>= 1)
    assert pages >= 2 + 1 + len(report.sections) + 1
    assert pages <= 2 + 6 + 3 * len(report.sections) + 10
    contents = squash(pdftotext(path, 2, 2))
    assert "Contents" in contents and "Summary" in contents
    assert "Appendix: the framework as published" in contents
    # every domain starts on its own page, at the page the contents list gives
    for section in report.sections:
        title = f"{section.number}. {squash(section.title)}"
        match = re.search(re.escape(title) + r" \.*\s*(\d+)", contents)
        assert match, f"{title} missing from contents"
        page = int(match.group(1))
        assert (
            squash(pdftotext(path, page, page)).split("Peer-review report ", 1)[1].startswith(title)
        ), f"{title} is not at the top of page {page}"


def test_bookmarks_and_metadata(peer_pdf, tmp_path):
    path, _ = peer_pdf
    info = pdfinfo(path)
    assert info["Title"] == f"Peer-review report: {ENTITY}, {ROUND}"
    assert "peer-review report" in info["Subject"]
    assert info.get("Author", "") == ""  # no personal name unless the user adds one
    assert info["Page size"].endswith("(A4)")
    raw = uncompressed(path, tmp_path)
    assert b"/Outlines" in raw
    assert b"Dr Peer Reviewer" not in raw.split(b"/Info")[0][-2000:]


def test_identical_input_gives_identical_bytes(services):
    from matrix_desktop.services.reports import ReportService, pdf_chart

    report = ReportService(services).peer_review_report(ENTITY, ROUND)
    one = build_peer_review(report, DETERMINISTIC, draw_chart=pdf_chart)
    two = build_peer_review(report, DETERMINISTIC, draw_chart=pdf_chart)
    assert one == two
    assert b"D:20000101000000" in one  # the fixed creation date


def test_letter_paper_and_author_when_asked(reports, tmp_path):
    path = tmp_path / "letter.pdf"
    reports.write_peer_review(
        ENTITY,
        ROUND,
        path,
        DocumentOptions(page_size="letter", author="Programme Office", include_charts=False),
    )
    info = pdfinfo(path)
    assert info["Page size"].endswith("(letter)")
    assert info["Author"] == "Programme Office"


def test_unknown_entity_round_and_unwritable_path(reports, tmp_path):
    with pytest.raises(NotFound, match="no entity named 'Nowhere'"):
        reports.write_peer_review("Nowhere", ROUND, tmp_path / "x.pdf")
    with pytest.raises(NotFound, match="no round named '1999'"):
        reports.write_peer_review(ENTITY, "1999", tmp_path / "x.pdf")
    with pytest.raises(ValidationFailed, match="does not exist"):
        reports.write_peer_review(ENTITY, ROUND, tmp_path / "missing" / "x.pdf")
    with pytest.raises(ValidationFailed, match="is a folder"):
        reports.write_peer_review(ENTITY, ROUND, tmp_path)
    assert not list(tmp_path.glob("*.pdf")) and not (tmp_path / "missing").exists()


def test_assessment_with_no_ratings_gives_a_correct_document(services, reports, tmp_path):
    e = services.catalog.find_entity(ENTITY)
    fw = services.catalog.framework("syb-place-development-matrix")
    services.assessments.create(e.id, fw, "2022/23 Q1", facilitator="Facilitator")
    path = reports.write_peer_review(
        ENTITY, "2022/23 Q1", tmp_path / "empty.pdf", DocumentOptions(include_charts=False)
    )
    text = squash(pdftotext(path))
    assert "Not yet assessed" in text
    assert "No peer review has been recorded" in text
    assert_qpdf_ok(path)


def test_long_evidence_flows_across_pages(services, reports, tmp_path):
    from matrix_desktop.core.model import Rating
    from matrix_desktop.storage import repository as repo

    e = services.catalog.find_entity(ENTITY)
    own = reports.self_assessment(e, services.catalog.find_round(ROUND))
    words = " ".join(f"word{i}" for i in range(14_000))
    evidence = (words + " THE-END")[:99_990] + " THE-END"
    assert len(evidence) >= 99_990
    with services.db.session() as s:
        rec = services.assessments.record(own.id)
        first: Rating = rec.ratings[0]
        repo.SqlAssessmentStore(s).put_rating(first.evolve(evidence=evidence))
    started = time.perf_counter()
    path = reports.write_peer_review(
        ENTITY, ROUND, tmp_path / "long.pdf", DocumentOptions(include_charts=False)
    )
    assert time.perf_counter() - started < 30
    assert page_count(path) > 40
    text = pdftotext(path)
    assert "THE-END" in text and "word9999" in text
    assert_qpdf_ok(path)


def test_evidence_newlines_are_kept(peer_pdf):
    path, _ = peer_pdf
    lines = pdftotext(path).splitlines()
    first = EVIDENCE.splitlines()[0]
    assert any(line.strip() == first for line in lines)
