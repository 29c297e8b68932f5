"""Targets and actions with a life in the workshop, driven by keys and clicks: the target stage
and date (a warning when below the agreed stage), the radar's target series, the previous
round's open actions shown in the new round and updated there, overdue marked."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox

from matrix_desktop.core.model import Action, ActionStatus
from matrix_desktop.core.workshop import TARGET_LABEL
from matrix_desktop.ui.workshop.details import DUE, STATUS
from matrix_desktop.ui.workshop.screen import AssessmentScreen

CTRL = Qt.KeyboardModifier.ControlModifier
ACT = Action("99999999-9999-4999-8999-999999999999", "Joint estates plan", "Ann", "2001-01-31")


def _open(qtbot, ctx, aid):
    s = AssessmentScreen(ctx, aid, undo_keys=True)
    qtbot.addWidget(s)
    s.resize(1024, 768)
    s.show()
    qtbot.waitExposed(s)
    s.activateWindow()
    qtbot.waitUntil(s.isActiveWindow)
    return s


@pytest.fixture
def rounds(ctx, services, place, syb):
    """Round 1 agreed the action (leadership, domain 2); round 2 is the draft opened now."""
    ctx.set_services(services)
    first = services.assessments.create(place.id, syb, "2030/31 Q1").id
    svc = services.assessments
    svc.execute(svc.edit_rating(first, "leadership", stage="maturing", actions=(ACT,)))
    second = services.assessments.create(place.id, syb, "2030/31 Q2").id
    return first, second


def _go_to_leadership(qtbot, screen) -> None:
    screen.domains.setFocus()
    qtbot.keyClick(screen.domains, Qt.Key.Key_Home)
    qtbot.keyClick(screen.domains, Qt.Key.Key_Down)
    assert screen.current_domain.key == "leadership"


def test_previous_rounds_open_action_is_shown_marked_overdue_and_updated_here(
    qtbot, ctx, services, rounds, answers
):
    first, second = rounds
    screen = _open(qtbot, ctx, second)
    _go_to_leadership(qtbot, screen)
    table = screen.details.actions
    assert table.rowCount() == 1 and table.item(0, 0).text() == "Joint estates plan"
    assert table.item(0, 0).toolTip() == "Agreed in 2030/31 Q1, carried into this round"
    assert table.item(0, DUE).toolTip() == "Overdue" and table.item(0, DUE).font().bold()
    # Status cell: arrows to it, F2 opens the combo box, Down twice (In progress, Done), Return.
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Home, CTRL)
    while table.currentColumn() < STATUS:
        qtbot.keyClick(table, Qt.Key.Key_Right)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QComboBox) and editor.accessibleName() == "Action status"
    qtbot.keyClick(editor, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    popup = editor.view()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)
    stored = services.assessments.record(second).rating("leadership").actions
    assert [(a.id, a.status) for a in stored] == [(ACT.id, ActionStatus.DONE)]
    assert stored[0].completed_on is not None  # done records when
    qtbot.waitUntil(lambda: table.item(0, STATUS).text() == "Done")
    assert table.item(0, DUE).toolTip() == ""  # done: no longer overdue
    # The earlier round keeps what it said; the plan follows the one action.
    assert services.assessments.record(first).rating("leadership").actions == (ACT,)
    (row,) = services.plan.plan(entity_ids=[services.assessments.get(second).entity_id])
    assert row.action.status is ActionStatus.DONE and row.rounds == 2
    # Undo puts it back to open.
    qtbot.keyClick(screen, Qt.Key.Key_Z, CTRL)
    assert services.assessments.record(second).rating("leadership").actions[0].status is (
        ActionStatus.OPEN
    )
    assert answers == []


def test_target_stage_and_date_by_keyboard_with_warning_and_radar_target(
    qtbot, ctx, services, rounds, answers
):
    _first, second = rounds
    svc = services.assessments
    svc.execute(svc.edit_rating(second, "leadership", stage="maturing"))
    screen = _open(qtbot, ctx, second)
    _go_to_leadership(qtbot, screen)
    details = screen.details
    assert not details.target_date.isEnabled()  # a date needs a target first
    details.target.setFocus()
    with qtbot.waitSignal(details.target.activated):
        for _ in range(2):  # No target -> Emerging -> Developing
            qtbot.keyClick(details.target, Qt.Key.Key_Down)
    assert svc.record(second).rating("leadership").target_stage == "developing"
    assert "below the agreed stage Maturing" in details.target_note.text()  # saved, warned
    with qtbot.waitSignal(details.target.activated):
        for _ in range(2):  # -> Maturing -> Thriving
            qtbot.keyClick(details.target, Qt.Key.Key_Down)
    assert details.target_note.text() == ""
    assert details.target_date.isEnabled()
    details.target_date.setFocus()
    qtbot.keyClicks(details.target_date, "31/03/2000")
    qtbot.keyClick(details.target_date, Qt.Key.Key_Tab)
    rating = svc.record(second).rating("leadership")
    assert (rating.target_stage, rating.target_date) == ("thriving", "2000-03-31")
    assert "the target date 2000-03-31 has passed" in details.target_note.text()
    # A date that is not one is kept in the box, said, and not saved.
    details.target_date.setFocus()
    qtbot.keyClick(details.target_date, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(details.target_date, "31/02/2031")
    qtbot.keyClick(details.target_date, Qt.Key.Key_Tab)
    assert details.target_date.text() == "31/02/2031"
    assert "Target date 31/02/2031" in screen.message.text()
    assert svc.record(second).rating("leadership").target_date == "2000-03-31"
    # The radar draws the targets as a series of their own.
    chart = screen.radar.view.chart
    labels = [s.label for s in chart.series]
    assert TARGET_LABEL in labels
    target = chart.series[labels.index(TARGET_LABEL)]
    assert target.values[1] == 4.0 and target.values[0] is None
    assert answers == []
