"""A draft peer review's PDF says it is a draft on every page; once finalised it does not."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reports"))
from report_fixtures import page_count, pdfinfo, pdftotext  # noqa: E402

from matrix_desktop.core.model import AssessmentKind  # noqa: E402
from matrix_desktop.ui.context import AppContext  # noqa: E402
from matrix_desktop.ui.interaction import interaction  # noqa: E402
from matrix_desktop.ui.main_window import MainWindow  # noqa: E402

pytestmark = [
    pytest.mark.gui,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils"),
]


def _pages(path: Path) -> list[str]:
    return [" ".join(pdftotext(path, n, n).split()) for n in range(1, page_count(path) + 1)]


def _export(qtbot, window, target: Path, monkeypatch) -> None:
    opened: list[Path] = []
    monkeypatch.setattr(interaction, "save_file", lambda *a: str(target))
    monkeypatch.setattr("matrix_desktop.ui.export_worker.open_file", lambda p: opened.append(p))
    window.reports.peer_review_action.trigger()  # Reports > Peer-review report (Ctrl+P)
    qtbot.waitUntil(lambda: bool(opened), timeout=30_000)


def test_peer_review_pdf_is_marked_draft_until_the_review_is_finalised(
    qtbot, tmp_path, db_path, monkeypatch
):
    ctx = AppContext(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.open_database(str(db_path))
    window.import_examples()
    svc = ctx.services
    barnsley = svc.catalog.find_entity("Barnsley")
    rnd = svc.catalog.find_round("2021/22 Q2")
    own = next(
        a
        for a in svc.assessments.assessments(barnsley.id, rnd.id)
        if a.kind is AssessmentKind.SELF_ASSESSMENT
    )
    assert own.is_final
    review = svc.peer_review.start_review(own.id, "Ann Reviewer", "Doncaster").review
    window.show_entity(barnsley.id)
    window.open_assessment(review.id)
    page = window.stack.currentWidget()

    draft_pdf = tmp_path / "draft.pdf"
    _export(qtbot, window, draft_pdf, monkeypatch)
    pages = _pages(draft_pdf)
    assert "Peer-review report — DRAFT" in pages[0]  # the title line
    assert "Peer review status Draft" in pages[0]
    for n, text in enumerate(pages, start=1):  # the head of every page, the cover included
        assert "DRAFT: the peer review is not final and may still change." in text, n
    assert pdfinfo(draft_pdf)["Title"].startswith("DRAFT ")

    monkeypatch.setattr(interaction, "confirm", lambda *a, **k: True)
    qtbot.mouseClick(page.finalise_button, Qt.MouseButton.LeftButton)
    final_pdf = tmp_path / "final.pdf"
    _export(qtbot, window, final_pdf, monkeypatch)
    text = " ".join(pdftotext(final_pdf).split())
    assert "DRAFT" not in text
    assert "Peer review status Final" in text
    assert not pdfinfo(final_pdf)["Title"].startswith("DRAFT")
