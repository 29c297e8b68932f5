"""GUI: the single view's "Help matched to need" tab reached by keyboard; a pairing recorded
with real key presses and mouse clicks, undone from the undo stack, its status set."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from matrix_desktop.core.help_match import PairingStatus
from matrix_desktop.ui.single_view import SingleViewWidget

pytestmark = pytest.mark.gui

NOTE = "Sheffield offered help to Barnsley on governance"


@pytest.fixture
def view(qtbot, ctx, services):
    ctx.set_services(services)
    system = services.catalog.find_system("SYB ICS")
    w = SingleViewWidget(services, system.id, ctx=ctx)
    qtbot.addWidget(w)
    w.resize(1024, 768)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    return w


def _row_of(panel, asker: str, domain: str) -> int:
    for i, row in enumerate(panel.requests_model.rows):
        if row[2].startswith(asker) and row[1] == domain and "Nobody" not in row[4]:
            return i
    raise AssertionError(f"no request of {asker} on {domain}")


def test_model_passes_the_model_tester(view, qtmodeltester):
    view.tabs.setCurrentWidget(view.help)
    assert view.help.requests_model.rowCount() > 0
    qtmodeltester.check(view.help.requests_model)
    qtmodeltester.check(view.help.pairings_model)


def test_open_the_panel_by_keyboard_and_record_a_pairing(qtbot, view, ctx, services):
    panel = view.help
    assert panel.requests_model.rowCount() == 0  # read only once the tab is shown
    view.tabs.tabBar().setFocus()
    qtbot.keyClick(view.tabs.tabBar(), Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    assert view.tabs.currentWidget() is panel
    assert panel.requests_model.rowCount() > 0
    assert "Only final self-assessments count" in panel.note.text()

    # Move down the requests with the arrow keys to Barnsley's governance request.
    q2 = services.catalog.find_round("2021/22 Q2")
    view.as_of.setFocus()
    while view.as_of.currentText() != "2021/22 Q2":
        qtbot.keyClick(view.as_of, Qt.Key.Key_Down)
    target = _row_of(panel, "Barnsley", "Governance")
    panel.requests.setFocus()
    qtbot.keyClick(panel.requests, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    for _ in range(target):
        qtbot.keyClick(panel.requests, Qt.Key.Key_Down)
    assert panel.current_request().entity_name.startswith("Barnsley")
    helper = panel.current_request().helpers[0]

    qtbot.keyClick(panel, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)  # Re&cord pairing…
    qtbot.waitUntil(lambda: panel.dialog is not None and panel.dialog.isVisible())
    dialog = panel.dialog
    # Filled from the request: who asked, the domain, the round; the helpers first.
    assert dialog.receiving.currentText().startswith("Barnsley")
    assert dialog.domain.currentData() == "governance" and dialog.round.currentData() == q2.id
    assert dialog.offering.currentData() == helper.entity_id
    assert "(could help)" in dialog.offering.currentText()
    qtbot.keyClicks(dialog.note, NOTE)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    (line,) = services.help_match.pairings()
    assert line.pairing.offering_entity_id == helper.entity_id
    assert line.receiving.startswith("Barnsley") and line.pairing.note == NOTE
    assert line.pairing.domain_key == "governance" and line.pairing.round_id == q2.id
    assert panel.pairings_model.rowCount() == 1 and NOTE in panel.pairings_model.rows[0]
    assert services.assessments.audit()[0].action == "pairing"

    # Set its status from the keyboard: choose the row, the status, then Alt+U.
    view.activateWindow()  # the dialog had the keyboard; the single view has it back
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)
    panel.pairings.setFocus()
    qtbot.keyClick(panel.pairings, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    panel.status.setFocus()
    while panel.status.currentData() != "agreed":
        qtbot.keyClick(panel.status, Qt.Key.Key_Down)
    qtbot.keyClick(panel.status, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    # A button's shortcut clicks it after a short press animation.
    qtbot.waitUntil(lambda: services.help_match.get(line.pairing.id).status is PairingStatus.AGREED)
    assert panel.pairings_model.rows[0][2] == "Agreed"

    # Undo twice: the status, then the pairing itself.
    ctx.undo_stack.undo()
    assert services.help_match.get(line.pairing.id).status is PairingStatus.OFFERED
    ctx.undo_stack.undo()
    assert services.help_match.pairings() == []
    assert panel.pairings_model.rowCount() == 0


def test_a_refused_pairing_keeps_the_dialog_and_what_was_typed(qtbot, view, services):
    panel = view.help
    view.tabs.setCurrentWidget(panel)
    qtbot.mouseClick(panel.record, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.dialog is not None and panel.dialog.isVisible())
    dialog = panel.dialog
    dialog.offering.setFocus()
    same = dialog.offering.findData(dialog.receiving.currentData())
    while dialog.offering.currentIndex() != same:
        qtbot.keyClick(dialog.offering, Qt.Key.Key_Down)
    qtbot.keyClicks(dialog.note, "typed")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "Not recorded" in dialog.problem.text()
    assert "same" in dialog.problem.text() or "both" in dialog.problem.text()
    assert dialog.note.text() == "typed"
    assert services.help_match.pairings() == []
    dialog.reject()
    QApplication.processEvents()


def test_a_role_that_may_not_record_pairings_sees_why(qtbot, view, ctx, monkeypatch):
    from matrix_desktop.core.access import Access

    viewer = Access("val", frozenset({"viewer"}))
    monkeypatch.setattr(type(ctx), "access", property(lambda self: viewer))
    view.tabs.setCurrentWidget(view.help)
    view.help.reload(None)
    assert not view.help.record.isEnabled() and not view.help.set_status.isEnabled()
    assert "Only the programme office records pairings; you are viewer." in (
        view.help.record.toolTip()
    )


@pytest.mark.parametrize(("width", "height"), [(1024, 768), (1920, 1080)])
def test_panel_and_dialog_fit_the_screen_with_nothing_clipped(
    qtbot, view, monkeypatch, width, height
):
    from layout_checks import clipped, fits_screen, pretend_screen, settle

    screen = pretend_screen(monkeypatch, width, height)
    view.resize(width - 260, height - 120)  # the window's menus and navigator take the rest
    view.tabs.setCurrentWidget(view.help)
    settle(qtbot, view)
    assert clipped(view.help) == []
    qtbot.mouseClick(view.help.record, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.help.dialog is not None and view.help.dialog.isVisible())
    dialog = view.help.dialog
    settle(qtbot, dialog)
    assert fits_screen(dialog, screen) == []
    assert clipped(dialog) == []
    dialog.reject()
