"""A report on a draft says so: in its title line, at the head of every page, in its metadata."""

from __future__ import annotations

from report_fixtures import ENTITY, ROUND, page_count, pdfinfo, pdftotext


def _pages(path) -> list[str]:  # type: ignore[no-untyped-def]
    return [" ".join(pdftotext(path, n, n).split()) for n in range(1, page_count(path) + 1)]


def test_a_draft_self_assessment_marks_every_page(reports, services, tmp_path):
    own = reports.self_assessment(
        services.catalog.find_entity(ENTITY), services.catalog.find_round(ROUND)
    )
    services.assessments.execute(services.assessments.reopen(own.id, "add the March minutes"))
    model = reports.peer_review_report(ENTITY, ROUND)
    assert model.drafts == ("self-assessment",)  # the stored peer review is final
    path = reports.write_peer_review(ENTITY, ROUND, tmp_path / "draft.pdf")
    pages = _pages(path)
    assert "Peer-review report — DRAFT" in pages[0]
    assert "Self-assessment status Draft" in pages[0]
    assert all("DRAFT: the self-assessment is not final" in p for p in pages)
    assert all("Peer-review report — DRAFT" in p for p in pages[1:])  # the running header
    info = pdfinfo(path)
    assert info["Title"].startswith("DRAFT ") and "(draft)" in info["Subject"]


def test_a_final_report_carries_no_draft_mark(reports, tmp_path):
    assert reports.peer_review_report(ENTITY, ROUND).drafts == ()
    path = reports.write_peer_review(ENTITY, ROUND, tmp_path / "final.pdf")
    assert "DRAFT" not in pdftotext(path)
