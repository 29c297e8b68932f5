"""GUI: the single view's tables, ranking switch, threshold, and export."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from matrix_desktop.ui.single_view import SingleViewWidget

pytestmark = pytest.mark.gui


@pytest.fixture
def widget(qtbot, services):
    system = services.catalog.find_system("SYB ICS")
    w = SingleViewWidget(services, system.id)
    qtbot.addWidget(w)
    return w


def test_tables_show_every_entity_and_theme(widget):
    assert widget.grid_model.rowCount() == 9
    assert widget.ranked_model.rowCount() == 13
    assert widget.themes_model.rowCount() == len(widget.section.themes)
    assert widget.readiness_model.rowCount() == 9
    assert "sets no threshold" in widget.message.text()
    assert widget.heatmap.figure.axes


def test_ranking_switches_between_median_and_spread(widget):
    by_median = [r[1] for r in widget.ranked_model.rows]
    assert by_median == [s.title for s in widget.section.by_median]
    widget.ranking.setCurrentIndex(1)
    assert [r[1] for r in widget.ranked_model.rows] == [s.title for s in widget.section.by_spread]


def test_threshold_choice_changes_readiness(widget):
    widget.threshold.setCurrentIndex(widget.threshold.findData("developing"))
    at_developing = sum(int(r[1]) for r in widget.readiness_model.rows)
    widget.threshold.setCurrentIndex(widget.threshold.findData("thriving"))
    at_thriving = sum(int(r[1]) for r in widget.readiness_model.rows)
    assert at_developing > at_thriving


def test_as_of_an_earlier_round(widget):
    widget.as_of.setCurrentIndex(widget.as_of.findText("2020/21 Q4"))
    assert {r[1] for r in widget.grid_model.rows} == {"2020/21 Q4"}


def test_export_button_writes_the_spreadsheet(qtbot, widget, tmp_path, monkeypatch):
    target = tmp_path / "out.xlsx"
    monkeypatch.setattr(widget, "ask_save_path", lambda: target)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    # Alt+X: E&xport spreadsheet
    qtbot.keyClick(widget.export, Qt.Key.Key_X, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: "Exported to" in widget.message.text())
    book = load_workbook(target)
    assert "Readiness" in book.sheetnames
    # The help matched to need: each request for support with who could help; the pairings.
    requests = list(book["Help matched to need"].iter_rows(values_only=True))
    assert requests[0] == ("Round", "Domain", "Asked by", "Request", "Could help (stage): enablers")
    assert len(requests) > 1 and all(r[3] for r in requests[1:])
    assert next(book["Pairings"].iter_rows(values_only=True)) == (
        "Round",
        "Pairing",
        "Status",
        "Note",
    )
