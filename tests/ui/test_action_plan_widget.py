"""GUI: the action plan for one entity and across a system, filtered by keys and clicks,
following edits made elsewhere, and exported to XLSX."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from matrix_desktop.core.framework import EntityKind
from matrix_desktop.core.model import Action, ActionStatus
from matrix_desktop.ui.action_plan import ActionPlanWidget

pytestmark = pytest.mark.gui

LATE = Action("12121212-1212-4121-8121-121212121212", "Late plan", "Ann", "2001-01-01")
SOON = Action("34343434-3434-4343-8343-343434343434", "Later plan", "Bob", "2999-01-01")
OTHER = Action("56565656-5656-4565-8565-565656565656", "Other place's", "Cy", "2999-01-01")


@pytest.fixture
def widget(qtbot, ctx, services, place, syb):
    ctx.set_services(services)
    svc = services.assessments
    a = svc.create(place.id, syb, "2030/31 Q1").id
    svc.execute(svc.edit_rating(a, "leadership", actions=(LATE,)))
    svc.execute(svc.edit_rating(a, "governance", actions=(SOON,)))
    other = services.catalog.create_entity(
        place.system_id, "Otherton", EntityKind.PLACE_PARTNERSHIP
    )
    b = svc.create(other.id, syb, "2030/31 Q1").id
    svc.execute(svc.edit_rating(b, "leadership", actions=(OTHER,)))
    w = ActionPlanWidget(services, place.system_id, place.id, ctx=ctx)
    qtbot.addWidget(w)
    w.resize(1024, 768)
    w.show()
    qtbot.waitExposed(w)
    w.aid = a  # type: ignore[attr-defined]
    w.place = place  # type: ignore[attr-defined]
    return w


def _whats(w) -> list[str]:
    return [r[2] for r in w.model.rows]


def test_model_passes_the_model_tester(widget, qtmodeltester):
    qtmodeltester.check(widget.model)


def test_one_entity_then_the_whole_system_filtered_by_keys(qtbot, widget):
    assert _whats(widget) == ["Late plan", "Later plan"]  # the entity chosen first
    assert widget.model.rows[0][6] == "overdue"
    assert "2 actions: 2 open or in progress, 1 overdue" == widget.summary.text()
    widget.scope.setFocus()
    qtbot.keyClick(widget.scope, Qt.Key.Key_Home)  # Whole system
    assert sorted(_whats(widget)) == ["Late plan", "Later plan", "Other place's"]
    widget.overdue.setFocus()
    qtbot.keyClick(widget.overdue, Qt.Key.Key_Space)
    assert _whats(widget) == ["Late plan"]
    qtbot.keyClick(widget.overdue, Qt.Key.Key_Space)
    widget.owner.setFocus()
    qtbot.keyClicks(widget.owner, "cy")
    assert _whats(widget) == ["Other place's"]
    qtbot.keyClick(widget.owner, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(widget.owner, Qt.Key.Key_Delete)
    widget.domain.setFocus()
    qtbot.keyClick(widget.domain, Qt.Key.Key_Down)  # the first domain: none of these
    assert _whats(widget) == []
    while widget.domain.currentData() != "leadership":
        qtbot.keyClick(widget.domain, Qt.Key.Key_Down)
    assert sorted(_whats(widget)) == ["Late plan", "Other place's"]
    widget.status.setFocus()
    qtbot.keyClick(widget.status, Qt.Key.Key_End)  # Dropped
    assert _whats(widget) == []


def test_follows_a_status_edit_and_exports_what_is_shown(
    qtbot, widget, services, tmp_path, monkeypatch
):
    # An edit made elsewhere in the app (the context's one path): the page follows it.
    assert widget._ctx.push(services.plan.set_action_status(LATE.id, ActionStatus.DONE))
    assert widget.model.rows[0][4] == "Done" and widget.model.rows[0][6] == ""
    target = tmp_path / "plan.xlsx"
    monkeypatch.setattr(widget, "ask_save_path", lambda: target)
    qtbot.mouseClick(widget.export, Qt.MouseButton.LeftButton)
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert [r[2] for r in rows[1:]] == _whats(widget)
    assert "Exported 2 actions" in widget.message.text()
