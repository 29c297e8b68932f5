"""The first run on an empty database, by keyboard: set up your system, start the first
assessment and score a domain; a duplicate name in the form is refused, nothing lost."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication

from matrix_desktop.ui.context import AppContext
from matrix_desktop.ui.first_run import FirstRunDialog
from matrix_desktop.ui.interaction import interaction
from matrix_desktop.ui.main_window import MainWindow
from matrix_desktop.ui.workshop.new_assessment import NewAssessmentDialog
from matrix_desktop.ui.workshop.screen import AssessmentScreen

pytestmark = pytest.mark.gui
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(qtbot, tmp_path, db_path, monkeypatch):
    errors: list[str] = []
    monkeypatch.setattr(interaction, "error", lambda parent, title, msg: errors.append(msg))
    ctx = AppContext(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    assert win.open_database(str(db_path))
    win.errors = errors
    return win


FAILURES: list[BaseException] = []


def _when_modal(kind, then) -> None:
    """Call then(dialog) once a modal dialog of this kind is on screen."""

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(10, look)
            return
        try:
            then(dialog)
        except BaseException as exc:  # shown by the test, not lost in the event loop
            FAILURES.append(exc)
            raise
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, look)


def _type_lines(qtbot, box, lines: list[str]) -> None:
    for i, line in enumerate(lines):
        if i:
            qtbot.keyClick(box, Qt.Key.Key_Return)
        qtbot.keyClicks(box, line)


def _fill_first_run(qtbot, dialog: FirstRunDialog, seen: list, places: list[str]) -> None:
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert QApplication.focusWidget() is dialog.system
    qtbot.keyClicks(dialog.system, "North Region Integrated Care System")
    qtbot.keyClick(dialog.system, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.short_name, "NR ICS")
    qtbot.keyClick(dialog.short_name, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.places
    _type_lines(qtbot, dialog.places, places)
    qtbot.keyClick(dialog.places, Qt.Key.Key_Tab)  # Tab moves on; it types no tab
    assert QApplication.focusWidget() is dialog.collaboratives
    qtbot.keyClicks(dialog.collaboratives, "Acute Collaborative: Hospital A; Hospital B")
    qtbot.keyClick(dialog.collaboratives, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.round
    qtbot.keyClicks(dialog.round, "2030/31 Q1")
    qtbot.keyClick(dialog.round, Qt.Key.Key_Return)  # the default button: Set up
    seen.append((dialog.isVisible(), dialog.error.text(), dialog.places.toPlainText()))


def test_first_run_by_keyboard_through_to_a_first_scored_assessment(qtbot, window):
    svc = window.ctx.services
    assert svc.catalog.systems() == []
    assert window.stack.currentWidget() is window.welcome
    assert window.welcome.setup_button.isVisible() and window.welcome.examples_button.isVisible()

    seen: list = []
    places = ["Barnsley Place: Barnsley Council; Barnsley Hospital", "Doncaster Place"]
    _when_modal(FirstRunDialog, lambda d: _fill_first_run(qtbot, d, seen, places))
    window.welcome.setup_button.setFocus()
    qtbot.keyClick(window.welcome.setup_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: bool(seen))
    assert seen[0][0] is False, seen  # accepted: the dialog closed

    (system,) = svc.catalog.systems()
    assert (system.name, system.short_name) == ("North Region Integrated Care System", "NR ICS")
    entities = {e.name: e for e in svc.catalog.entities(system.id)}
    assert set(entities) == {"Barnsley Place", "Doncaster Place", "Acute Collaborative"}
    assert entities["Barnsley Place"].members == ("Barnsley Council", "Barnsley Hospital")
    assert [r.name for r in svc.catalog.rounds()] == ["2030/31 Q1"]
    assert [e.action for e in svc.assessments.audit(limit=5)][-1] == "system add"
    # the navigator lists them and an entity page is shown
    assert window.stack.currentWidget() is window.entity_page
    assert not window.welcome.setup_button.isVisible()

    # Ctrl+N: the new-assessment dialog offers the first round; Return starts it
    started: list = []

    def start(dialog: NewAssessmentDialog) -> None:
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        assert dialog.round.currentText() == "2030/31 Q1"
        qtbot.keyClicks(dialog.facilitator, "Jo Facilitator")
        qtbot.keyClick(dialog.facilitator, Qt.Key.Key_Return)
        started.append(dialog.assessment_id)

    _when_modal(NewAssessmentDialog, start)
    window.activateWindow()  # the set-up dialog has just closed
    qtbot.waitUntil(window.isActiveWindow)
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: bool(started) or bool(FAILURES))
    assert not FAILURES, FAILURES
    assert started[0] is not None, window.errors
    screen = window.stack.currentWidget()
    assert isinstance(screen, AssessmentScreen)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    screen.domains.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen.domains)
    first = screen.current_domain.key
    with qtbot.waitSignal(window.ctx.saved):
        qtbot.keyClick(screen.domains, "2")
    record = svc.assessments.record(started[0])
    assert record.rating(first).stage == screen.state.framework.stage_at(2).key
    assert window.errors == []


def test_a_duplicate_in_the_first_run_form_is_refused_and_nothing_typed_is_lost(qtbot, window):
    svc = window.ctx.services
    seen: list = []
    # Case and spacing (look-alike letters are covered by the services' tests: QTest types
    # Latin-1 only)
    places = ["Barnsley Place", "BARNSLEY  place"]
    _when_modal(FirstRunDialog, lambda d: _fill_first_run(qtbot, d, seen, places))
    window.setup_action.trigger()  # File > Set up your system
    qtbot.waitUntil(lambda: bool(seen))
    visible, error, typed = seen[0]
    assert visible and "'Barnsley Place' already exists" in error
    assert typed == "\n".join(places)
    assert svc.catalog.systems() == [] and svc.catalog.rounds() == []
