"""GUI: the compare screen's filters, checklist, table, charts and its item model."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt

from matrix_desktop.core.framework import EntityKind
from matrix_desktop.ui.compare import CompareWidget
from matrix_desktop.ui.table_model import TextTableModel

pytestmark = pytest.mark.gui


@pytest.fixture
def widget(qtbot, services):
    w = CompareWidget(services)
    qtbot.addWidget(w)
    w.resize(1100, 700)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_filters_narrow_the_checklist(widget):
    assert widget.choices.count() == 19  # 18 of places and collaboratives, SYB ICS's own
    widget.kind.setCurrentIndex(widget.kind.findData(EntityKind.PROVIDER_COLLABORATIVE))
    assert widget.choices.count() == 8
    widget.round.setCurrentIndex(1)
    assert widget.choices.count() == 4


def test_ticking_places_fills_the_table_and_radar(qtbot, widget, services):
    widget.kind.setCurrentIndex(widget.kind.findData(EntityKind.PLACE_PARTNERSHIP))
    widget.round.setCurrentIndex(widget.round.findText("2021/22 Q2"))
    with qtbot.waitSignal(widget.compared):
        qtbot.mouseClick(widget.select_all, Qt.MouseButton.LeftButton)
    assert widget.table_model.rowCount() == 5
    assert widget.table_model.columnCount() == 16
    assert widget.message.text() == ""
    widget.tabs.setCurrentWidget(widget.radar)
    assert len(widget.radar.chart.series) == 5
    widget.tabs.setCurrentWidget(widget.heatmap)
    assert widget.heatmap.figure.axes
    # keyboard: Space on the focused item unticks it
    widget.choices.setFocus()
    widget.choices.setCurrentRow(0)
    with qtbot.waitSignal(widget.compared):
        qtbot.keyClick(widget.choices, Qt.Key.Key_Space)
    assert widget.table_model.rowCount() == 4


def test_mixed_versions_are_refused_with_a_message(qtbot, services):
    syb = services.catalog.framework("syb-place-development-matrix")
    services.catalog.add_framework(dataclasses.replace(syb, version="v1-5"))
    barnsley = services.catalog.find_entity("Barnsley")
    newer = services.assessments.create(
        barnsley.id, services.catalog.framework(syb.key, "v1-5"), "2022/23 Q1"
    )
    w = CompareWidget(services)
    qtbot.addWidget(w)
    old = services.compare.candidates()[0].id
    w.check([old, newer.id])
    assert "different framework versions" in w.message.text()
    assert w.table_model.headers == ("Assessment", "Framework version")


def test_table_model_passes_the_model_tester(qtmodeltester):
    model = TextTableModel(
        ("Assessment", "Leadership"), [("Barnsley", "Maturing"), ("Rotherham", "")]
    )
    qtmodeltester.check(model)
    model.set_rows(("A",), [("x",)])
    qtmodeltester.check(model)
    assert model.data(model.index(0, 0)) == "x"
