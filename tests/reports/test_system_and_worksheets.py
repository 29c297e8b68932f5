"""Tests for the system summary and the workshop worksheets PDFs."""

from __future__ import annotations

import pytest
from report_fixtures import (
    SYSTEM,
    assert_fonts_embedded,
    assert_qpdf_ok,
    page_count,
    pdfinfo,
    pdftotext,
    squash,
    uncompressed,
)

from matrix_desktop.core.errors import NotFound
from matrix_desktop.reports.models import DocumentOptions


@pytest.fixture(scope="module")
def system_pdf(example_db, tmp_path_factory):  # type: ignore[no-untyped-def]
    from matrix_desktop.services.context import open_services
    from matrix_desktop.services.reports import ReportService

    svc = open_services(example_db, read_only=True)
    try:
        path = tmp_path_factory.mktemp("system") / "system.pdf"
        ReportService(svc).write_system_summary(
            SYSTEM, None, path, DocumentOptions(deterministic=True)
        )
        report = ReportService(svc).system_summary(SYSTEM)
        entities = [e.name for e in svc.catalog.entities()]
    finally:
        svc.close()
    return path, report, entities


def test_system_summary_names_every_entity_and_domain(system_pdf):
    path, report, entities = system_pdf
    assert report.round == "2021/22 Q2"  # the latest round with data
    assert len(report.entities) == 9
    # the system-level self-assessment uses the ICS matrix: listed, not hidden
    assert report.missing == (
        "South Yorkshire and Bassetlaw ICS (system level) "
        "(uses Maturity matrix for integrated care systems (2019-06))",
    )
    text = squash(pdftotext(path))
    for name in entities:
        assert squash(name) in text
    for rank in report.ranking:
        assert squash(rank.domain) in text
    assert "Key enablers" in text and "Requests for support" in text
    assert "Domains ranked" in text
    # one page per entity after the shared pages
    assert page_count(path) >= 2 + 1 + 2 + 1 + len(entities)


def test_system_summary_quality(system_pdf, tmp_path):
    path, _, _ = system_pdf
    assert b"/Subtype /Image" not in uncompressed(path, tmp_path)  # heatmap cells are vectors
    assert_fonts_embedded(path)
    assert_qpdf_ok(path)
    info = pdfinfo(path)
    assert info["Title"].startswith("System summary: ")
    assert info.get("Author", "") == ""


def test_enablers_name_the_entities_that_raised_them(system_pdf):
    _, report, _ = system_pdf
    assert report.enablers
    shared = [t for t in report.enablers if len(t.entities) > 1]
    assert shared, "the examples repeat enablers across places"
    assert all(len(set(t.entities)) == len(t.entities) for t in report.enablers)


def test_unknown_system_is_a_clear_error(reports, tmp_path):
    with pytest.raises(NotFound, match="no system named"):
        reports.write_system_summary("Atlantis", None, tmp_path / "x.pdf")


def test_worksheets_one_domain_per_page(reports, tmp_path):
    path = reports.write_worksheets(
        "syb-place-development-matrix",
        tmp_path / "ws.pdf",
        options=DocumentOptions(deterministic=True),
    )
    fw = reports.svc.catalog.framework("syb-place-development-matrix")
    assert page_count(path) == 1 + len(fw.domains)
    for i, d in enumerate(fw.domains, start=2):
        page = squash(pdftotext(path, i, i))
        assert f"{d.number}. {squash(d.title)}" in page
        assert "Agreed stage" in page and "Evidence and why" in page
        assert "\u2610" in pdftotext(path, i, i)  # boxes to tick
    assert_fonts_embedded(path)
    assert_qpdf_ok(path)


def test_worksheets_for_the_ics_matrix(reports, tmp_path):
    path = reports.write_worksheets(
        "nhs-ics-maturity-matrix", tmp_path / "ics.pdf", options=DocumentOptions(page_size="letter")
    )
    assert page_count(path) == 1 + 5
    assert "Maturing" in pdftotext(path)
