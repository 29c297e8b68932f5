"""Where files go: save dialogs start in the folder used last (else Documents), and a PDF that
nothing could open says where it was saved, with Show in folder and Copy path."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QStandardPaths, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from matrix_desktop.ui import interaction as interaction_module
from matrix_desktop.ui.context import AppContext
from matrix_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def _window(qtbot, tmp_path, db_path) -> MainWindow:
    ctx = AppContext(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.open_database(str(db_path))
    window.import_examples()
    return window


@pytest.fixture
def documents(tmp_path, monkeypatch) -> Path:
    """The user's Documents folder (a private one for the test)."""
    folder = tmp_path / "Documents"
    folder.mkdir()
    real = QStandardPaths.writableLocation

    def location(kind):
        if kind == QStandardPaths.StandardLocation.DocumentsLocation:
            return str(folder)
        return real(kind)

    monkeypatch.setattr(interaction_module.QStandardPaths, "writableLocation", location)
    return folder


class SaveDialog(list):
    """Stands in for the system's save dialog: records where it opened, answers `answer`."""

    answer = ""


@pytest.fixture
def save_dialog(monkeypatch):
    opened = SaveDialog()

    def get_save_file_name(parent, caption, start, filters):
        opened.append(start)
        return opened.answer, filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(get_save_file_name))
    return opened


def test_save_dialogs_start_in_documents_then_in_the_folder_used_last(
    qtbot, tmp_path, db_path, documents, save_dialog, monkeypatch
):
    monkeypatch.chdir(tmp_path)  # the working folder must not be where dialogs open
    window = _window(qtbot, tmp_path, db_path)
    opened = []
    monkeypatch.setattr("matrix_desktop.ui.export_worker.open_file", lambda p: opened.append(p))
    reports = tmp_path / "board papers"
    reports.mkdir()
    save_dialog.answer = str(reports / "barnsley.pdf")
    window.reports.peer_review_action.trigger()
    assert Path(save_dialog[0]).parent == documents  # first time: Documents
    assert Path(save_dialog[0]).name.endswith(".pdf")  # with the suggested name
    qtbot.waitUntil(lambda: bool(opened), timeout=30_000)

    save_dialog.answer = ""  # the user cancels this one
    monkeypatch.setattr(
        interaction_module.interaction, "pick", lambda *a: 0
    )  # the round: the newest
    window.reports.system_action.trigger()
    assert Path(save_dialog[1]).parent == reports  # next time: where the last file went
    assert Path(save_dialog[1]).name.endswith("-summary.pdf")
    # the place page's Export (an exchange file) follows the same rule
    qtbot.mouseClick(window.entity_page.export_button, Qt.MouseButton.LeftButton)
    assert Path(save_dialog[2]).parent == reports
    window.close()

    # a new session remembers the folder
    again = AppContext(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    second = MainWindow(again)
    qtbot.addWidget(second)
    assert second.open_database(str(db_path))
    second.show_single_view()
    qtbot.mouseClick(second.stack.currentWidget().export, Qt.MouseButton.LeftButton)
    assert Path(save_dialog[3]).parent == reports
    again.close_database()


def test_a_pdf_nothing_could_open_says_where_it_went_and_copies_the_path(
    qtbot, tmp_path, db_path, documents, save_dialog, monkeypatch
):
    window = _window(qtbot, tmp_path, db_path)
    target = tmp_path / "out" / "barnsley report.pdf"
    target.parent.mkdir()
    save_dialog.answer = str(target)
    # no application on this computer opens a PDF
    monkeypatch.setattr("matrix_desktop.ui.export_worker.open_file", lambda p: False)
    shown: list[str] = []

    def answer_the_message() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box.windowTitle() != "Peer-review report":
            QTimer.singleShot(20, answer_the_message)
            return
        shown.append(box.text())
        copy = next(b for b in box.buttons() if b.text().replace("&", "") == "Copy path")
        assert any(b.text().replace("&", "") == "Show in folder" for b in box.buttons())
        copy.click()

    QTimer.singleShot(0, answer_the_message)
    window.reports.peer_review_action.trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    assert str(target) in shown[0] and "could not be opened" in shown[0]
    assert target.read_bytes().startswith(b"%PDF")
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == str(target))
    assert str(target) in window.status_label.text()


def test_a_pdf_that_opens_asks_nothing_more(
    qtbot, tmp_path, db_path, documents, save_dialog, monkeypatch
):
    window = _window(qtbot, tmp_path, db_path)
    save_dialog.answer = str(tmp_path / "opened.pdf")
    opened = []
    monkeypatch.setattr(
        "matrix_desktop.ui.export_worker.open_file", lambda p: opened.append(p) or True
    )
    told = []
    monkeypatch.setattr(interaction_module.interaction, "file_written", lambda *a: told.append(a))
    window.reports.peer_review_action.trigger()
    qtbot.waitUntil(lambda: bool(opened), timeout=30_000)
    assert told == []
