"""The rating details driven as a user drives them (keys and clicks on the real widgets of the
scoring screen), checked in the database: confidence, direction, and actions' due dates typed in
ISO or UK form, typed wrong (kept, marked, not lost on changing domain) or picked on a calendar."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QTableView

from matrix_desktop.core.model import Confidence, Direction
from matrix_desktop.ui.date_dialog import DateDialog
from matrix_desktop.ui.workshop.details import BAD_BACKGROUND, DUE
from matrix_desktop.ui.workshop.screen import AssessmentScreen

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def screen(qtbot, ctx, services, place, syb, answers):
    ctx.set_services(services)
    aid = services.assessments.create(place.id, syb, "2021/22 Q2", participants=[("", "")] * 2).id
    s = AssessmentScreen(ctx, aid, undo_keys=True)
    qtbot.addWidget(s)
    s.resize(1366, 768)
    s.show()
    qtbot.waitExposed(s)
    s.activateWindow()
    qtbot.waitUntil(s.isActiveWindow)
    s.domains.setFocus()
    s.aid = aid  # type: ignore[attr-defined]
    yield s
    assert answers == []  # no error box along the way


def _stored(services, screen, n: int = 0):
    return services.assessments.record(screen.aid).rating(screen.state.framework.domains[n].key)


def _edit_cell(qtbot, table, row: int, col: int, text: str) -> None:
    """Go to a cell with the arrow keys, F2, select all, type, Return."""
    table.setFocus()
    if table.currentRow() < 0:
        qtbot.keyClick(table, Qt.Key.Key_Home, CTRL)
    while table.currentRow() < row:
        qtbot.keyClick(table, Qt.Key.Key_Down)
    while table.currentRow() > row:
        qtbot.keyClick(table, Qt.Key.Key_Up)
    while table.currentColumn() < col:
        qtbot.keyClick(table, Qt.Key.Key_Right)
    while table.currentColumn() > col:
        qtbot.keyClick(table, Qt.Key.Key_Left)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit), editor
    qtbot.keyClick(editor, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(editor, text)
    _commit(qtbot, table, editor)


def _commit(qtbot, table, editor) -> None:
    """Return in the editor: Qt commits and closes it from the event loop."""
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)


def _add_action(qtbot, screen, what: str) -> None:
    details = screen.details
    qtbot.mouseClick(details.add_action, Qt.MouseButton.LeftButton)
    editor = QApplication.focusWidget()  # Add action opens the new row's "What" for typing
    assert isinstance(editor, QLineEdit), editor
    qtbot.keyClicks(editor, what)
    _commit(qtbot, details.actions, editor)


def test_confidence_and_direction_chosen_by_keyboard_are_saved_as_enums(qtbot, screen, services):
    details = screen.details
    details.confidence.setFocus()
    with qtbot.waitSignal(details.confidence.activated):
        for _ in range(3):  # Not set -> Low -> Medium -> High
            qtbot.keyClick(details.confidence, Qt.Key.Key_Down)
    stored = _stored(services, screen)
    assert stored.confidence is Confidence.HIGH
    assert details.confidence.currentText() == "High"  # not snapped back

    # Direction through its popup list: Alt+Down opens it, Down, Return chooses
    details.direction.setFocus()
    qtbot.keyClick(details.direction, Qt.Key.Key_Down, ALT)
    popup = details.direction.view()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    with qtbot.waitSignal(details.direction.activated):
        qtbot.keyClick(popup, Qt.Key.Key_Return)
    stored = _stored(services, screen)
    assert stored.direction is Direction.IMPROVING
    assert stored.confidence is Confidence.HIGH
    assert details.direction.currentText() == "Improving"
    assert screen.message.text() == ""

    # shown again from the database after going to another domain and back
    qtbot.keyClick(screen.domains, Qt.Key.Key_PageDown)
    assert details.confidence.currentText() == "Not set"
    qtbot.keyClick(screen.domains, Qt.Key.Key_PageUp)
    assert (details.confidence.currentText(), details.direction.currentText()) == (
        "High",
        "Improving",
    )
    # and back to "Not set"
    details.confidence.setFocus()
    qtbot.keyClick(details.confidence, Qt.Key.Key_Home)
    assert _stored(services, screen).confidence is None


def test_a_uk_due_date_typed_in_the_cell_is_stored_as_iso(qtbot, screen, services):
    _add_action(qtbot, screen, "Book the venue")
    assert [a.what for a in _stored(services, screen).actions] == ["Book the venue"]
    _edit_cell(qtbot, screen.details.actions, 0, DUE, "31/03/2025")
    (action,) = _stored(services, screen).actions
    assert (action.what, action.due) == ("Book the venue", "2025-03-31")
    assert screen.details.actions.item(0, DUE).text() == "2025-03-31"
    _edit_cell(qtbot, screen.details.actions, 0, DUE, "1.4.2025")
    assert _stored(services, screen).actions[0].due == "2025-04-01"
    assert screen.message.text() == ""
    assert screen.details.actions.horizontalHeaderItem(DUE).text() == "Due (e.g. 31/03/2025)"


def test_an_invalid_due_date_stays_marked_survives_changing_domain_and_saves_when_fixed(
    qtbot, screen, services
):
    table = screen.details.actions
    _add_action(qtbot, screen, "Agree terms of reference")
    _edit_cell(qtbot, table, 0, 1, "Jo")
    _edit_cell(qtbot, table, 0, DUE, "31/02/2025")
    saved = _stored(services, screen).actions
    assert [(a.what, a.owner, a.due) for a in saved] == [("Agree terms of reference", "Jo", None)]

    def marked() -> bool:
        cell = table.item(0, DUE)
        return (
            cell.text() == "31/02/2025"
            and cell.background().color() == BAD_BACKGROUND
            and "February 2025 has 28 days" in cell.toolTip()
        )

    assert marked()
    assert "Action 1" in screen.message.text()
    assert "31/02/2025: February 2025 has 28 days" in screen.message.text()
    assert screen.message.isVisible()

    # Page Down to the next domain: its own (empty) actions, no message
    screen.domains.setFocus()
    qtbot.keyClick(screen.domains, Qt.Key.Key_PageDown)
    assert screen.domains.currentRow() == 1
    assert table.rowCount() == 0
    assert screen.message.text() == ""
    # a mouse click back on the first domain: the typed date is still there, marked, and said
    first = screen.domains.visualItemRect(screen.domains.item(0)).center()
    qtbot.mouseClick(screen.domains.viewport(), Qt.MouseButton.LeftButton, pos=first)
    assert screen.domains.currentRow() == 0
    assert marked()
    assert "February 2025 has 28 days" in screen.message.text()
    assert _stored(services, screen).actions == saved  # still not saved
    # other edits on the domain leave it alone too
    screen.details.confidence.setFocus()
    qtbot.keyClick(screen.details.confidence, Qt.Key.Key_Down)
    assert _stored(services, screen).confidence is Confidence.LOW
    assert marked()

    # corrected: saved, unmarked, the message gone
    _edit_cell(qtbot, table, 0, DUE, "28/02/2025")
    (action,) = _stored(services, screen).actions
    assert (action.id, action.owner, action.due) == (saved[0].id, "Jo", "2025-02-28")
    cell = table.item(0, DUE)
    assert cell.text() == "2025-02-28"
    assert cell.background().color() != BAD_BACKGROUND
    assert cell.toolTip() == "Overdue"  # a date now past: saved, marked overdue, not refused
    assert screen.message.text() == ""
    qtbot.keyClick(screen.domains, Qt.Key.Key_PageDown)
    qtbot.keyClick(screen.domains, Qt.Key.Key_PageUp)
    assert table.item(0, DUE).text() == "2025-02-28"


def _drive_picker(qtbot, keys: list[Qt.Key], finish: str, seen: list) -> None:
    dialog = QApplication.activeModalWidget()
    if not isinstance(dialog, DateDialog):  # not on screen yet: look again shortly
        QTimer.singleShot(10, lambda: _drive_picker(qtbot, keys, finish, seen))
        return
    try:
        seen.append(dialog.date())
        view = dialog.calendar.findChild(QTableView)  # the calendar's grid of days
        for key in keys:
            qtbot.keyClick(view, key)
        seen.append(dialog.date())
        if finish == "ok":
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        else:
            qtbot.keyClick(view, Qt.Key.Key_Escape)
    finally:
        if dialog.isVisible():  # a failed step must not leave a modal dialog blocking the run
            dialog.reject()


def _press_pick_due_by_keyboard(qtbot, screen) -> None:
    """Tab from the actions table to Pick due date and press Space."""
    table, button = screen.details.actions, screen.details.pick_due
    # A window manager gives activation back when a dialog closes; the offscreen platform not.
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow)
    table.setFocus()
    for _ in range(5):
        if QApplication.focusWidget() is button:
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is button
    assert button.accessibleName()
    qtbot.keyClick(button, Qt.Key.Key_Space)


def test_pick_due_date_on_the_calendar_saves_it(qtbot, screen, services):
    table = screen.details.actions
    _add_action(qtbot, screen, "Draft the plan")
    _edit_cell(qtbot, table, 0, DUE, "31/03/2025")
    seen: list = []
    # starts at the action's date; Left, Up: 23 March 2025; OK
    keys = [Qt.Key.Key_Left, Qt.Key.Key_Up]
    QTimer.singleShot(0, lambda: _drive_picker(qtbot, keys, "ok", seen))
    _press_pick_due_by_keyboard(qtbot, screen)
    qtbot.waitUntil(lambda: len(seen) == 2)
    assert seen == [dt.date(2025, 3, 31), dt.date(2025, 3, 23)]
    assert _stored(services, screen).actions[0].due == "2025-03-23"
    assert table.item(0, DUE).text() == "2025-03-23"

    # cancelled: nothing changes
    seen.clear()
    QTimer.singleShot(0, lambda: _drive_picker(qtbot, [Qt.Key.Key_Right], "cancel", seen))
    _press_pick_due_by_keyboard(qtbot, screen)
    qtbot.waitUntil(lambda: len(seen) == 2)
    assert _stored(services, screen).actions[0].due == "2025-03-23"


def test_pick_due_date_replaces_an_invalid_one(qtbot, screen, services):
    table = screen.details.actions
    _add_action(qtbot, screen, "Share the findings")
    _edit_cell(qtbot, table, 0, DUE, "32/01/2025")
    assert "January 2025 has 31 days" in screen.message.text()
    assert _stored(services, screen).actions[0].due is None
    seen: list = []
    QTimer.singleShot(0, lambda: _drive_picker(qtbot, [Qt.Key.Key_Right], "ok", seen))
    _press_pick_due_by_keyboard(qtbot, screen)
    qtbot.waitUntil(lambda: len(seen) == 2)
    today = dt.date.today()
    assert seen[0] == today  # no date to start from: today
    assert _stored(services, screen).actions[0].due == seen[1].isoformat()
    assert seen[1] == today + dt.timedelta(days=1)
    assert table.item(0, DUE).background().color() != BAD_BACKGROUND
    assert screen.message.text() == ""


def test_pick_due_date_with_no_action_says_what_to_do(qtbot, screen, services):
    qtbot.mouseClick(screen.details.pick_due, Qt.MouseButton.LeftButton)
    assert "Add an action first" in screen.message.text()
    assert _stored(services, screen).actions == ()
