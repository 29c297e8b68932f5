"""History on a server: the database login the server recorded (session_user) is shown beside
the computer's user name, in Review ▸ History (Ctrl+Shift+H) and in `matrix-desktop history`."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt

from matrix_desktop.__main__ import main
from matrix_desktop.core.framework import EntityKind
from matrix_desktop.services import server_admin
from matrix_desktop.services.context import open_services
from matrix_desktop.ui.context import AppContext
from matrix_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def edited(pg_server):  # type: ignore[no-untyped-def]
    """A server database where the user 'ann' (logged in to the server as its owner,
    'postgres') edited one rating; returns (url, assessment id)."""
    url = pg_server.create_database("gui_history")
    server_admin.init(url)
    svc = open_services(url, user="ann")
    try:
        system = svc.catalog.create_system("History ICS")
        place = svc.catalog.create_entity(system.id, "Histshire", EntityKind.PLACE_PARTNERSHIP)
        fw = svc.catalog.framework("syb-place-development-matrix")
        aid = svc.assessments.create(place.id, fw, "2030 Q1").id
        svc.assessments.execute(
            svc.assessments.edit_rating(aid, fw.domains[0].key, evidence="Minutes.")
        )
    finally:
        svc.close()
    return url, aid


def test_history_window_shows_the_database_login_beside_the_user(qtbot, tmp_path, edited):
    url, aid = edited
    ctx = AppContext(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    qtbot.waitExposed(window)
    try:
        assert window.open_database(url)
        window.open_assessment(aid)
        qtbot.waitUntil(lambda: window.assessment_screen is not None)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        qtbot.keyClick(
            window.assessment_screen.domains,
            Qt.Key.Key_H,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
        qtbot.waitUntil(lambda: getattr(window, "_history", None) is not None)
        dialog = window._history
        qtbot.addWidget(dialog)
        model = dialog.model
        assert model.headers[:4] == ("When", "User on the computer", "Database login", "What")
        rating = next(r for r in model.rows if r[3] == "rating")
        assert rating[1:3] == ("ann", "postgres")
        assert rating[4] in window.services.catalog.domain_titles().values()  # a title, not a key
        assert all(r[2] == "postgres" for r in model.rows)
        qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
        assert not dialog.isVisible()
    finally:
        window.shutdown()


def test_history_command_shows_the_database_login_when_it_differs(capsys, edited):
    url, aid = edited
    code = main(["history", "--assessment", aid, "--database", url])
    out = capsys.readouterr().out
    assert code == 0
    assert "  ann (database login postgres)  rating  " in out.splitlines()[0]


def test_history_of_a_local_file_has_no_database_login_column(qtbot, ctx, services):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    ctx.set_services(services)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.nav.setFocus()
    qtbot.waitUntil(window.nav.hasFocus)
    qtbot.keyClick(
        window.nav,
        Qt.Key.Key_H,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: getattr(window, "_history", None) is not None)
    dialog = window._history
    qtbot.addWidget(dialog)
    assert "Database login" not in dialog.model.headers
    assert dialog.model.rows and dialog.model.rows[0][2] == "import"  # the example data's
    assert dialog.windowTitle() == "History — this database"
