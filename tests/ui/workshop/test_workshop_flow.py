"""The whole workshop by keyboard through the real main window: start, score, vote, agree, undo,
finalise; then close the app and open it again on the same database file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication

from matrix_desktop.core.framework import EntityKind
from matrix_desktop.core.model import Status
from matrix_desktop.ui.context import AppContext
from matrix_desktop.ui.interaction import interaction
from matrix_desktop.ui.main_window import MainWindow
from matrix_desktop.ui.workshop.new_assessment import NewAssessmentDialog
from matrix_desktop.ui.workshop.screen import AssessmentScreen

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
STAGE_KEYS = "1234"
RATIONALE = "Strong shared vision; PHM still patchy"
EVIDENCE = "Board minutes 2021-09; Ωμέγα; 中文证据; دليل; 🙂 " * 2000  # ~100,000 characters


def _open_window(qtbot, tmp_path, db_path) -> MainWindow:
    ctx = AppContext(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert window.open_database(str(db_path))
    return window


def _fill_new_assessment(qtbot, done: list) -> None:
    dialog = QApplication.activeModalWidget()
    if not isinstance(dialog, NewAssessmentDialog):  # not on screen yet: look again shortly
        QTimer.singleShot(10, lambda: _fill_new_assessment(qtbot, done))
        return
    try:
        _drive_dialog(qtbot, dialog, done)
    finally:
        if dialog.isVisible():  # a failed step must not leave a modal dialog blocking the run
            dialog.reject()


def _drive_dialog(qtbot, dialog: NewAssessmentDialog, done: list) -> None:
    dialog.activateWindow()  # shortcuts (Ctrl+Return) need the active window, as for a user
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClicks(dialog.round.lineEdit(), "2021/22 Q2")
    qtbot.keyClicks(dialog.facilitator, "Jo Facilitator")
    for _ in range(5):
        qtbot.keyClick(dialog.people, Qt.Key.Key_Return, CTRL)  # Add participant
    dialog.people.item(1, 1).setText("Barnsley Council")  # one named organisation
    qtbot.keyClick(dialog.facilitator, Qt.Key.Key_Return)  # the default button starts it
    done.append(dialog.assessment_id)


@pytest.mark.slow
def test_whole_workshop_by_keyboard_survives_a_restart(qtbot, tmp_path, db_path, monkeypatch):
    errors: list[str] = []
    monkeypatch.setattr(interaction, "error", lambda parent, title, msg: errors.append(msg))
    monkeypatch.setattr(interaction, "confirm", lambda *a, **k: True)
    window = _open_window(qtbot, tmp_path, db_path)
    svc = window.ctx.services
    system = svc.catalog.create_system("South Yorkshire and Bassetlaw", "SYB")
    place = svc.catalog.create_entity(system.id, "Barnsley", EntityKind.PLACE_PARTNERSHIP)
    window.refresh()
    window.show_entity(place.id)

    # 1. start the assessment (Ctrl+N opens the modal dialog)
    done: list = []
    QTimer.singleShot(0, lambda: _fill_new_assessment(qtbot, done))
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: bool(done))
    screen = window.stack.currentWidget()
    assert isinstance(screen, AssessmentScreen)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    aid = done[0]
    record = svc.assessments.record(aid)
    assert [p.name for p in record.assessment.participants] == [f"Partner {n}" for n in range(1, 6)]
    assert record.assessment.participants[1].organisation == "Barnsley Council"
    assert record.assessment.facilitator == "Jo Facilitator"

    # the window's menus offer the screen's commands, with their keys
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    keys = {
        a.text().replace("&", ""): a.shortcut().toString() for a in menus["Assessment"].actions()
    }
    assert keys["Finalise…"] == "Ctrl+Shift+F" and keys["Presentation mode"] == "F11"
    assert "Presentation mode" in [a.text().replace("&", "") for a in window.view_menu.actions()]

    # 2. score every domain by keyboard: a stage key, then Page Down
    fw = screen.state.framework
    screen.domains.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen.domains)
    expected = {}
    for i, domain in enumerate(fw.domains):
        assert screen.current_domain.key == domain.key
        key = STAGE_KEYS[i % 4]
        with qtbot.waitSignal(window.ctx.saved):
            qtbot.keyClick(screen.domains, key)
        expected[domain.key] = fw.stage_at(int(key)).key
        assert screen.saved.text().startswith("Saved")
        qtbot.keyClick(screen.domains, Qt.Key.Key_PageDown)
    record = svc.assessments.record(aid)
    assert {r.domain_key: r.stage for r in record.ratings} == expected
    assert screen.radar.view.chart.series[0].values == tuple(
        float(fw.stage(expected[d.key]).position) for d in fw.domains
    )

    # F11 shows the room the current domain full screen; Esc comes back to the list
    qtbot.keyClick(screen.domains, Qt.Key.Key_F11)
    presentation = screen.presentation
    assert presentation is not None and presentation.isVisible()
    assert presentation.title.text() == f"{fw.domains[-1].number}. {fw.domains[-1].title}"
    qtbot.keyClick(presentation, Qt.Key.Key_Escape)
    assert screen.presentation is None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen.domains)

    # back to the first domain with Ctrl+Up; tick a statement with the keyboard
    for _ in fw.domains:
        qtbot.keyClick(screen.domains, Qt.Key.Key_Up, CTRL)
    first = fw.domains[0]
    assert screen.current_domain.key == first.key
    box = screen.cards.cards[0].rows[0].box
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert svc.assessments.record(aid).rating(first.key).statements_met == (
        first.statements_for("emerging")[0].id,
    )

    # evidence in any script, 100,000 characters, committed when focus leaves
    screen.details.evidence.setFocus()
    screen.details.evidence.setPlainText(EVIDENCE)
    qtbot.keyClick(screen.details.evidence, Qt.Key.Key_Tab)
    assert svc.assessments.record(aid).rating(first.key).evidence == EVIDENCE

    # 3. five participants' views of the first domain, by keyboard in the grid
    screen.tabs.setCurrentWidget(screen.room)
    grid = screen.room.grid
    grid.setFocus()
    grid.setCurrentIndex(screen.room.votes.index(0, 0))
    for key in "22324":
        qtbot.keyClick(grid, key)
    record = svc.assessments.record(aid)
    views = [v.stage for v in record.votes_for(first.key)]
    assert sorted(views) == sorted(["developing"] * 3 + ["maturing", "thriving"])
    row = screen.room.spread.rows[0]
    assert row.flagged and row.voters == 5 and row.counts == (0, 3, 1, 1)
    # the agreed stage differs from the majority (Developing), with its rationale
    agreed = screen.room.agreed
    agreed.setFocus()
    agreed.setCurrentIndex(agreed.findData("emerging"))
    qtbot.keyClick(agreed, Qt.Key.Key_Down)  # Emerging -> Developing
    qtbot.keyClick(agreed, Qt.Key.Key_Down)  # -> Maturing
    assert svc.assessments.record(aid).rating(first.key).stage == "maturing"
    screen.room.rationale.setFocus()
    qtbot.keyClicks(screen.room.rationale, RATIONALE)
    qtbot.keyClick(screen.room.rationale, Qt.Key.Key_Tab)
    rating = svc.assessments.record(aid).rating(first.key)
    assert (rating.stage, rating.rationale) == ("maturing", RATIONALE)
    votes_now = svc.assessments.record(aid).votes_for(first.key)
    assert sorted(v.stage for v in votes_now) == sorted(views)

    # 6. undo and redo through the main window's Edit shortcuts
    screen.domains.setFocus()
    qtbot.keyClick(screen.domains, Qt.Key.Key_Z, CTRL)
    assert svc.assessments.record(aid).rating(first.key).rationale == ""
    qtbot.keyClick(screen.domains, Qt.Key.Key_Z, CTRL)
    assert svc.assessments.record(aid).rating(first.key).stage == "developing"
    assert screen.cards.cards[1].property("agreed")
    qtbot.keyClick(screen.domains, Qt.Key.Key_Z, CTRL | SHIFT)
    qtbot.keyClick(screen.domains, Qt.Key.Key_Y, CTRL)
    rating = svc.assessments.record(aid).rating(first.key)
    assert (rating.stage, rating.rationale) == ("maturing", RATIONALE)
    assert screen.radar.view.chart.series[0].values[0] == 3.0

    # 7. finalise (Ctrl+Shift+F); then a stage key is refused with a message, nothing changes
    qtbot.keyClick(screen.domains, Qt.Key.Key_F, CTRL | SHIFT)
    assert svc.assessments.get(aid).status is Status.FINAL
    assert screen.details.evidence.isReadOnly()
    qtbot.keyClick(screen.domains, "1")
    assert "final" in screen.message.text()
    assert svc.assessments.record(aid).rating(first.key).stage == "maturing"
    assert not errors
    final = svc.assessments.record(aid)
    audit = svc.assessments.audit(aid)
    assert {"create", "rating", "vote", "undo rating", "finalise"} <= {e.action for e in audit}
    assert all(e.user and e.at for e in audit)

    # close the app; open it again on the same file: everything as it was
    window.close()
    window.ctx.set_services(None)
    again = _open_window(qtbot, tmp_path, db_path)
    assert again.ctx.services.assessments.record(aid) == final
    again.open_assessment(aid)
    reopened = again.stack.currentWidget()
    assert reopened.status.text().startswith("FINAL")
    assert reopened.details.evidence.toPlainText() == EVIDENCE
    assert "Maturing" in reopened.domains.item(0).text()
    assert reopened.room.spread.rows[0].flagged


def test_new_assessment_dialog_tabs_in_reading_order(qtbot, tmp_path, db_path):
    window = _open_window(qtbot, tmp_path, db_path)
    svc = window.ctx.services
    system = svc.catalog.create_system("South Yorkshire and Bassetlaw", "SYB")
    svc.catalog.create_entity(system.id, "Barnsley", EntityKind.PLACE_PARTNERSHIP)
    dialog = NewAssessmentDialog(window.ctx, None, window)
    qtbot.addWidget(dialog)
    dialog.show()
    expected = [
        dialog.entity,
        dialog.framework,
        dialog.round,
        dialog.date,
        dialog.facilitator,
        dialog.people,
        dialog.add_person,
        dialog.remove_person,
    ]
    order, widget = [], dialog.entity
    for _ in range(40):
        order.append(widget)
        widget = widget.nextInFocusChain()
    reached = [w for w in order if w in expected]
    assert reached == expected
