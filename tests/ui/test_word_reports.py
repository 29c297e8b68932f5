"""Reports > System summary (Word): the round is chosen in a dialog, written on the worker."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QInputDialog

from matrix_desktop.ui.context import AppContext
from matrix_desktop.ui.interaction import interaction
from matrix_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def test_system_summary_in_word_as_at_a_chosen_round(qtbot, tmp_path, db_path, monkeypatch):
    ctx = AppContext(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.open_database(str(db_path))
    window.import_examples()
    target = tmp_path / "summary.docx"
    offered: list[str] = []
    opened: list[Path] = []

    def save_file(_parent, _title, suggested, filters):  # type: ignore[no-untyped-def]
        offered.append(suggested)
        assert "Word document (*.docx)" in filters
        return str(target)

    monkeypatch.setattr(interaction, "save_file", save_file)
    monkeypatch.setattr("matrix_desktop.ui.export_worker.open_file", lambda p: opened.append(p))
    seen: list[list[str]] = []

    def choose_older_round() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(50, choose_older_round)
            return
        combo = dialog.findChild(QComboBox)
        seen.append([combo.itemText(i) for i in range(combo.count())])
        qtbot.keyClick(combo, Qt.Key.Key_Down)  # the newest is offered first
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    QTimer.singleShot(50, choose_older_round)
    window.reports.system_docx_action.trigger()  # Reports > System summary (Word)
    qtbot.waitUntil(lambda: bool(opened), timeout=60_000)
    assert seen == [["2021/22 Q2", "2020/21 Q4"]]
    assert offered[0].endswith("2020-21-Q4-summary.docx")
    doc = Document(str(target))
    assert "as at 2020/21 Q4" in doc.paragraphs[1].text
    single = next(t for t in doc.tables if t.rows[0].cells[0].text == "Entity")
    assert {r.cells[1].text for r in single.rows[1:]} == {"2020/21 Q4"}


def test_worksheets_offer_the_framework_in_use_first(qtbot, tmp_path, db_path, monkeypatch):
    ctx = AppContext(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.open_database(str(db_path))
    window.import_examples()
    offered: list[list[str]] = []

    def pick_first() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(50, pick_first)
            return
        combo = dialog.findChild(QComboBox)
        offered.append([combo.itemText(i) for i in range(combo.count())])
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # cancelled: nothing is written

    # The welcome opens the first entity, SYB ICS itself, assessed against the ICS matrix
    QTimer.singleShot(50, pick_first)
    window.reports.worksheets_action.trigger()  # Reports > Workshop worksheets
    assert offered and offered[-1][0].startswith("Maturity matrix for integrated care systems")
    # a place uses the SYB matrix: offered first once the place is chosen
    window.show_entity(ctx.services.catalog.find_entity("Barnsley").id)
    QTimer.singleShot(50, pick_first)
    window.reports.worksheets_action.trigger()
    assert len(offered) == 2 and offered[-1][0].startswith("SYB Place Development Matrix")


def test_peer_review_in_word_from_the_reports_menu(qtbot, tmp_path, db_path, monkeypatch):
    ctx = AppContext(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.open_database(str(db_path))
    window.import_examples()
    window.show_entity(ctx.services.catalog.find_entity("Sheffield").id)
    target = tmp_path / "sheffield.docx"
    offered: list[str] = []
    opened: list[Path] = []

    def save_file(_parent, _title, suggested, _filters):  # type: ignore[no-untyped-def]
        offered.append(suggested)
        return str(target)

    monkeypatch.setattr(interaction, "save_file", save_file)
    monkeypatch.setattr("matrix_desktop.ui.export_worker.open_file", lambda p: opened.append(p))
    window.reports.peer_review_docx_action.trigger()  # Reports > Peer-review report (Word)
    qtbot.waitUntil(lambda: bool(opened), timeout=60_000)
    assert offered[0].endswith(".docx")
    doc = Document(str(target))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert "Summary" in headings and "1. Purpose and Vision" in headings
    facts = {r.cells[0].text: r.cells[1].text for r in doc.tables[0].rows}
    assert facts["Peer reviewer"].startswith("Reviewer from Barnsley Place")  # example review
    assert facts["Peer review status"] == "Final"
    assert len(doc.inline_shapes) == 3
