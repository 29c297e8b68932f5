"""Feedback on the matrix from the workshop, driven by keys and clicks: on the selected
statement (Ctrl+Shift+K, the dialog typed into), refused input kept in the dialog, the
domain page's count, undo, and the programme office's view (Ctrl+Shift+E) showing it,
sorted and filtered, exported."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QApplication
from shiboken6 import isValid

from matrix_desktop.core.feedback import FeedbackKind
from matrix_desktop.core.model import AssessmentKind
from matrix_desktop.ui.context import AppContext
from matrix_desktop.ui.main_window import MainWindow
from matrix_desktop.ui.matrix_feedback import MatrixFeedbackWidget
from matrix_desktop.ui.workshop.feedback import FeedbackDialog

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def window(qtbot, services, tmp_path, answers):
    path = services.db.path
    final = next(
        a
        for a in services.assessments.assessments()
        if a.kind is AssessmentKind.SELF_ASSESSMENT and a.is_final
    )
    services.assessments.execute(services.assessments.reopen(final.id, "scored again"))
    services.close()
    ctx = AppContext(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.resize(1024, 768)
    win.show()
    qtbot.waitExposed(win)
    assert win.open_database(str(path))
    win.open_assessment(final.id)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    win.aid = final.id  # type: ignore[attr-defined]
    yield win
    win.close()


def _dialog(qtbot, screen) -> FeedbackDialog:
    qtbot.waitUntil(lambda: screen.findChild(FeedbackDialog) is not None)
    dialog = screen.findChild(FeedbackDialog)
    qtbot.waitUntil(dialog.isVisible)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_record_feedback_on_a_statement_and_see_it_in_the_programme_office_view(
    qtbot, window, tmp_path, monkeypatch
):
    screen = window.stack.currentWidget()
    svc = window.services
    # Tab from the domain list to the first stage's first statement: the one selected.
    screen.domains.setFocus()
    qtbot.keyClick(screen.domains, Qt.Key.Key_Home)
    first_card = next(c for c in screen.cards.cards if c.rows)
    statement = first_card.rows[0]
    while QApplication.focusWidget() is not statement.box:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert screen.selected_statement() == statement.statement_id

    qtbot.keyClick(statement.box, Qt.Key.Key_K, CTRL_SHIFT)
    dialog = _dialog(qtbot, screen)
    assert dialog.about.currentData() == statement.statement_id
    # Suggested rewording (Down in the kind box) with no wording: refused, text kept.
    dialog.kind.setFocus()
    qtbot.keyClick(dialog.kind, Qt.Key.Key_Down)
    assert dialog.wording.isEnabled()
    dialog.text.setFocus()
    qtbot.keyClicks(dialog.text, "Which partners count?")
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text().startswith("Suggested wording:")
    assert dialog.isVisible() and dialog.text.toPlainText() == "Which partners count?"
    assert svc.feedback.for_assessment(window.aid) == []
    # Back to a request for clarity, recorded with Alt+R.
    dialog.kind.setFocus()
    qtbot.keyClick(dialog.kind, Qt.Key.Key_Up)
    assert not dialog.wording.isEnabled()
    qtbot.keyClick(dialog.kind, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not isValid(dialog) or not dialog.isVisible())

    [fb] = svc.feedback.for_assessment(window.aid)
    assert (fb.kind, fb.statement_id, fb.text) == (
        FeedbackKind.CLARITY,
        statement.statement_id,
        "Which partners count?",
    )
    qtbot.waitUntil(lambda: "recorded here: 1" in screen.feedback_note.text())
    assert "1 request for clarity" in screen.feedback_note.text()
    # Undo (the Edit menu's Ctrl+Z) takes it away again; redo brings it back.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    screen.domains.setFocus()
    qtbot.keyClick(screen.domains, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: svc.feedback.for_assessment(window.aid) == [])
    assert "No feedback" in screen.feedback_note.text()
    qtbot.keyClick(screen.domains, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(svc.feedback.for_assessment(window.aid)) == 1)

    # A second one on the domain as a whole, from the button, with the mouse.
    qtbot.mouseClick(screen.feedback_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(qtbot, screen)
    dialog.about.setFocus()
    qtbot.keyClick(dialog.about, Qt.Key.Key_Home)
    dialog.text.setFocus()
    qtbot.keyClicks(dialog.text, "The domain title is unclear")
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(svc.feedback.for_assessment(window.aid)) == 2)

    # The programme office's view, by its shortcut.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_E, CTRL_SHIFT)
    qtbot.waitUntil(lambda: isinstance(window.stack.currentWidget(), MatrixFeedbackWidget))
    page = window.stack.currentWidget()
    texts = sorted(r[5] for r in page.model.rows)
    assert texts == ["The domain title is unclear", "Which partners count?"]
    assert page.summary.text().startswith("2 pieces of feedback on 2 statements or domains")
    # Sorted by a click on the Feedback column's header.
    header = page.table.horizontalHeader()
    x = header.sectionViewportPosition(5) + header.sectionSize(5) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert header.sortIndicatorSection() == 5
    shown = [i.feedback.text for i in page.shown_items()]
    assert shown == sorted(shown) or shown == sorted(shown, reverse=True)
    # Filtered by kind, with the keyboard.
    page.kind.setFocus()
    qtbot.keyClick(page.kind, Qt.Key.Key_End)  # Suggested rewording: none
    assert page.model.rows == ()
    qtbot.keyClick(page.kind, Qt.Key.Key_Home)
    page.entity.setFocus()
    qtbot.keyClicks(page.entity, "no such place")
    assert page.model.rows == ()
    page.entity.clear()
    assert len(page.model.rows) == 2
    # One row per statement, with its counts (Space on the check box).
    page.grouped.setFocus()
    qtbot.keyClick(page.grouped, Qt.Key.Key_Space)
    assert page.model.headers[4:7] == ("Requests for clarity", "Suggested rewordings", "Total")
    assert sorted(r[4] for r in page.model.rows) == ["1", "1"]
    qtbot.keyClick(page.grouped, Qt.Key.Key_Space)
    # Exported as the user names the file.
    target = tmp_path / "feedback.xlsx"
    monkeypatch.setattr(page, "ask_save_path", lambda: target)
    qtbot.mouseClick(page.export, Qt.MouseButton.LeftButton)
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert len(rows) == 3 and "Exported 2 pieces" in page.message.text()


def test_model_passes_the_model_tester(qtbot, window, qtmodeltester):
    window.show_matrix_feedback()
    qtmodeltester.check(window.stack.currentWidget().model)


def test_matrix_feedback_page_says_how_to_record_feedback_when_there_is_none(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_E, CTRL_SHIFT)
    qtbot.waitUntil(lambda: isinstance(window.stack.currentWidget(), MatrixFeedbackWidget))
    page = window.stack.currentWidget()
    assert not page.model.rows
    assert page.summary.text() == "0 pieces of feedback on 0 statements or domains, from 0 entities"
    assert "has been recorded yet" in page.message.text() and "Ctrl+Shift+K" in page.message.text()
    page.entity.setFocus()
    qtbot.keyClicks(page.entity, "Nowhere")
    qtbot.waitUntil(lambda: page.message.text() == "No feedback matches these filters.")
