"""A second copy of the app, and how the app ends.

A read-only copy beside a running one says who has the database and since when, claims no
crash, and offers no way to change anything. A crash is reported once, with a date people
read. SIGTERM (a logout, a shutdown) closes the database cleanly, so no crash is reported.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from matrix_desktop.ui.context import AppContext
from matrix_desktop.ui.interaction import interaction
from matrix_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

SRC = Path(__file__).resolve().parents[2] / "src"


def _window(qtbot, tmp_path, name: str) -> MainWindow:
    ctx = AppContext(QSettings(str(tmp_path / name), QSettings.Format.IniFormat))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def first(qtbot, tmp_path, db_path):
    window = _window(qtbot, tmp_path, "first.ini")
    assert window.open_database(str(db_path))
    window.import_examples()
    yield window
    window.close()


@pytest.fixture
def second(qtbot, tmp_path, db_path, first, monkeypatch):
    """A second copy on the same database; its user chooses Open read-only."""
    asked: list[str] = []
    monkeypatch.setattr(
        interaction, "choose", lambda p, t, m, o: asked.append(m) or "Open read-only"
    )
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(interaction, "info", lambda p, t, m: shown.append((t, m)))
    monkeypatch.setattr(interaction, "error", lambda p, t, m: shown.append((t, m)))
    window = _window(qtbot, tmp_path, "second.ini")
    assert window.open_database(str(db_path))
    window.asked, window.shown = asked, shown  # type: ignore[attr-defined]
    yield window
    window.close()


def test_a_read_only_copy_names_the_running_one_and_claims_no_crash(second):
    user = second.ctx.services.assessments.user
    banner = second.banner.text()
    assert second.banner_box.isVisibleTo(second)
    assert re.match(
        r"Another copy of Matrix Desktop is using this database \(.+, since \d\d:\d\d\); "
        r"opened read-only",
        banner,
    ), banner
    assert "did not close properly" not in banner
    assert banner.count("Another copy") == 1
    assert user and second.asked and "another copy" in second.asked[0]
    assert "read-only" in second.windowTitle()


def test_every_write_action_is_off_in_a_read_only_copy(qtbot, second):
    svc = second.ctx.services
    before = len(svc.assessments.assessments())
    for action in (
        second.new_action,
        second.import_action,
        second.import_folder_action,
        second.import_framework_action,
        second.examples_action,
        second.restore_action,
        second.start_review_action,
    ):
        assert not action.isEnabled(), action.text()
    assert not second.entity_page.new_button.isEnabled()
    assert not second.welcome.import_button.isEnabled()
    assert not second.acceptDrops()
    # Ctrl+N and a drop do nothing (the actions and the drop are off), reading still works
    qtbot.keyClick(second.nav, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert len(svc.assessments.assessments()) == before
    assert second.nav_model.rowCount() > 0
    assert second.reports.peer_review_action.isEnabled()  # exports are reading


def test_scoring_screen_in_a_read_only_copy_refuses_keys_with_a_message(qtbot, second):
    from matrix_desktop.ui.workshop.screen import AssessmentScreen

    svc = second.ctx.services
    first_assessment = svc.assessments.assessments()[0]
    second.open_assessment(first_assessment.id)
    screen = second.stack.currentWidget()
    assert isinstance(screen, AssessmentScreen)
    assert not screen.finalise_button.isEnabled() and not screen.reopen_button.isEnabled()
    assert screen.details.evidence.isReadOnly()
    domain = screen.current_domain.key
    stage = svc.assessments.record(first_assessment.id).rating(domain).stage
    screen.domains.setFocus()
    qtbot.keyClick(screen.domains, Qt.Key.Key_1)
    assert "read-only" in screen.message.text()
    assert svc.assessments.record(first_assessment.id).rating(domain).stage == stage
    assert second.shown == []  # refused in place, not an error box after a failed write


def test_peer_review_in_a_read_only_copy_cannot_be_changed(qtbot, first, second):
    from matrix_desktop.core.model import AssessmentKind
    from matrix_desktop.ui.peer_review import PeerReviewWidget

    own = next(
        a
        for a in first.ctx.services.assessments.assessments()
        if a.kind is AssessmentKind.SELF_ASSESSMENT and a.is_final
    )
    review = first.ctx.services.peer_review.start_review(own.id, "Ann Reviewer").review
    second.open_assessment(review.id)
    page = second.stack.currentWidget()
    assert isinstance(page, PeerReviewWidget)
    assert not page.comment.isEnabled() and not page.finalise_button.isEnabled()
    assert "read-only" in page.message.text()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_after_a_crash_the_banner_says_so_once_with_a_readable_date(qtbot, tmp_path, db_path):
    from matrix_desktop.services.safety import open_for_gui

    pid = os.fork()
    if pid == 0:  # a copy that is killed with the database open
        try:
            open_for_gui(db_path)
            os.kill(os.getpid(), signal.SIGKILL)
        finally:
            os._exit(1)
    os.waitpid(pid, 0)
    window = _window(qtbot, tmp_path, "after.ini")
    assert window.open_database(str(db_path))
    banner = window.banner.text()
    assert banner.count("did not close properly") == 1
    assert "lock was cleared" not in banner and "ended without closing" not in banner
    assert re.search(r"opened (today|yesterday) at \d\d:\d\d", banner), banner
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", banner)  # no raw ISO timestamp
    window.close()
    again = _window(qtbot, tmp_path, "again.ini")
    assert again.open_database(str(db_path))
    assert not again.banner_box.isVisibleTo(again)  # closed cleanly: nothing to say
    again.close()


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is POSIX")
def test_sigterm_closes_the_app_cleanly_so_the_next_start_reports_no_crash(tmp_path):
    from matrix_desktop.services.safety import open_for_gui
    from matrix_desktop.storage.integrity import read_session_marker
    from matrix_desktop.storage.lock import lock_path_for

    database = tmp_path / "workshop.sqlite3"
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        MATRIX_DESKTOP_HOME=str(tmp_path / "home"),
        PYTHONPATH=os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    )
    app = subprocess.Popen(
        [sys.executable, "-m", "matrix_desktop", "--database", str(database)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while read_session_marker(database) is None:  # the app has the database open
            assert app.poll() is None, app.stderr.read().decode() if app.stderr else ""
            assert time.monotonic() < deadline, "the app did not open its database"
            time.sleep(0.1)
        app.send_signal(signal.SIGTERM)  # what a logout or a system shutdown sends
        assert app.wait(timeout=30) == 0
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
    assert read_session_marker(database) is None
    assert not lock_path_for(database).exists()
    opened = open_for_gui(database)
    try:
        assert not opened.unclean_shutdown
        assert not [w for w in opened.warnings if w.kind in ("unclean_shutdown", "lock_recovered")]
    finally:
        opened.close()


def test_quitting_the_application_closes_the_database_cleanly(qtbot, tmp_path, db_path):
    from PySide6.QtWidgets import QApplication

    from matrix_desktop.storage.integrity import read_session_marker
    from matrix_desktop.ui import shutdown

    window = _window(qtbot, tmp_path, "quit.ini")
    assert window.open_database(str(db_path))
    app = QApplication.instance()
    watcher = shutdown.install(app, window)
    try:
        assert read_session_marker(db_path) is not None
        app.aboutToQuit.emit()  # app.quit() from anywhere, or the session ending
        assert read_session_marker(db_path) is None
        assert window.ctx.services is None
    finally:
        app.aboutToQuit.disconnect(window.shutdown)
        app.commitDataRequest.disconnect(window.commit_data)
        if watcher is not None:
            watcher.uninstall()
