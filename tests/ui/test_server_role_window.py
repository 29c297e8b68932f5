"""The window on a server database as a viewer and as a facilitator: what the role may not do
is off, with the reason; a stage key pressed anyway says why and saves nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from matrix_desktop.core.framework import EntityKind
from matrix_desktop.services import server_admin
from matrix_desktop.services.context import open_services
from matrix_desktop.ui.context import AppContext
from matrix_desktop.ui.main_window import MainWindow
from matrix_desktop.ui.workshop.new_assessment import NewAssessmentDialog
from matrix_desktop.ui.workshop.screen import AssessmentScreen

pytestmark = pytest.mark.gui

VIEWER = "Your role (viewer) can read but not change assessments."


@pytest.fixture
def region(pg_server, request):  # type: ignore[no-untyped-def]
    """A set-up server database with two places' drafts; returns (url, alpha id, beta id)."""
    url = pg_server.create_database("gui_" + request.node.name.lower()[:40])
    server_admin.init(url)
    svc = open_services(url, user="it-admin")
    try:
        fw = svc.catalog.framework("syb-place-development-matrix")
        system = svc.catalog.create_system("GUI ICS")
        alpha = svc.catalog.create_entity(system.id, "Alpha Place", EntityKind.PLACE_PARTNERSHIP)
        beta = svc.catalog.create_entity(system.id, "Beta Place", EntityKind.PLACE_PARTNERSHIP)
        a = svc.assessments.create(alpha.id, fw, "2030 Q1").id
        b = svc.assessments.create(beta.id, fw, "2030 Q1").id
    finally:
        svc.close()
    server_admin.grant(url, "val", "viewer", [])
    server_admin.grant(url, "alice", "facilitator", ["Alpha Place"])
    return url, a, b


def _window(qtbot, tmp_path, url: str) -> MainWindow:  # type: ignore[no-untyped-def]
    ctx = AppContext(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    qtbot.waitExposed(window)
    assert window.open_database(url)
    return window


def _stage_key(qtbot, window: MainWindow, aid: str) -> AssessmentScreen:  # type: ignore[no-untyped-def]
    window.open_assessment(aid)  # read on a worker (a server): shown when read
    qtbot.waitUntil(
        lambda: (
            window.assessment_screen is not None
            and window.assessment_screen.state.assessment_id == aid
        )
    )
    screen = window.assessment_screen
    assert isinstance(screen, AssessmentScreen)
    screen.domains.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen.domains)
    qtbot.keyClick(screen.domains, Qt.Key.Key_3)
    return screen


def _stages(url: str, aid: str) -> list[str | None]:
    svc = open_services(url)
    try:
        return [r.stage for r in svc.assessments.record(aid).ratings]
    finally:
        svc.close()


def test_a_viewer_sees_every_change_turned_off_with_the_reason(qtbot, tmp_path, region):
    url, alpha, _beta = region
    window = _window(qtbot, tmp_path, url.replace("//postgres@", "//val@"))
    try:
        assert window.status_label.text().endswith(VIEWER)
        for action in (window.new_action, window.import_action, window.start_review_action):
            assert not action.isEnabled() and action.toolTip() == VIEWER
        assert not window.entity_page.new_button.isEnabled()
        assert window.entity_page.new_button.toolTip() == VIEWER
        # Ctrl+N does nothing for a viewer.
        qtbot.keyClick(window.nav, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        assert window.assessment_screen is None

        screen = _stage_key(qtbot, window, alpha)
        assert screen.status.text() == "Draft (read-only)"
        assert not screen.finalise_button.isEnabled()
        assert screen.finalise_button.toolTip() == VIEWER
        assert screen.message.text() == VIEWER
    finally:
        window.ctx.close_database()
    assert _stages(url, alpha) == []


def test_a_facilitator_scores_their_place_and_is_told_why_not_another(qtbot, tmp_path, region):
    url, alpha, beta = region
    window = _window(qtbot, tmp_path, url.replace("//postgres@", "//alice@"))
    try:
        assert window.new_action.isEnabled()
        assert not window.import_action.isEnabled()
        with qtbot.waitSignal(window.ctx.saved):
            screen = _stage_key(qtbot, window, alpha)
        assert screen.saved.text().startswith("Saved")

        screen = _stage_key(qtbot, window, beta)
        assert screen.message.text() == (
            "Your role (facilitator of Alpha Place) can change only the self-assessments "
            "of Alpha Place."
        )
        assert not screen.finalise_button.isEnabled()

        # A new assessment: only her place is offered, and it is created at the server.
        dialog = NewAssessmentDialog(window.ctx, None, window)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        offered = [dialog.entity.itemText(i) for i in range(dialog.entity.count())]
        assert [o.split(" (")[0] for o in offered] == ["Alpha Place"]
        qtbot.keyClicks(dialog.round.lineEdit(), "2030 Q3")
        qtbot.keyClick(dialog.facilitator, Qt.Key.Key_Return)
        assert dialog.assessment_id is not None
        created = window.ctx.services.assessments.get(dialog.assessment_id)
        assert created.entity_id == window.ctx.services.assessments.get(alpha).entity_id
    finally:
        window.ctx.close_database()
    saved = _stages(url, alpha)
    assert len(saved) == 1 and saved[0] is not None
    assert _stages(url, beta) == []


def test_an_empty_server_database_gets_a_message_not_a_hang(qtbot, tmp_path, pg_server, answers):
    url = pg_server.create_database("gui_empty")
    ctx = AppContext(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert not window.open_database(url)
    assert window.status_label.text() == "No database open"
    [(title, message)] = answers
    assert title == "Cannot open the database"
    assert "an administrator sets it up with `matrix-desktop server init URL`" in message
