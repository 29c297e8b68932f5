"""Every prompt the app shows goes through here, so tests can answer them without dialogs."""

from __future__ import annotations

import datetime as _dt
import os

from PySide6.QtCore import QSettings, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from matrix_desktop.ui.date_dialog import DateDialog

LAST_FOLDER_KEY = "files/last_folder"  # QSettings: the folder a file was last chosen in


class Interaction:
    """Message boxes and file choosers behind one patchable port."""

    # Where the last folder used is kept (the main window gives its settings); None: not kept.
    settings: QSettings | None = None

    @staticmethod
    def error(parent: QWidget | None, title: str, message: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent
        )
        box.setAccessibleName(title)
        box.exec()

    @staticmethod
    def info(parent: QWidget | None, title: str, message: str) -> None:
        QMessageBox.information(parent, title, message)

    @staticmethod
    def confirm(parent: QWidget | None, title: str, message: str, ok_text: str = "OK") -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Question, title, message, QMessageBox.StandardButton.NoButton, parent
        )
        ok = box.addButton(ok_text, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is ok

    @staticmethod
    def choose(parent: QWidget | None, title: str, message: str, options: list[str]) -> str | None:
        """Return the chosen option's text, or None when cancelled."""
        box = QMessageBox(
            QMessageBox.Icon.Question, title, message, QMessageBox.StandardButton.NoButton, parent
        )
        buttons = {box.addButton(o, QMessageBox.ButtonRole.AcceptRole): o for o in options}
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return buttons.get(box.clickedButton())

    @staticmethod
    def pick(parent: QWidget | None, title: str, label: str, items: list[str]) -> int | None:
        """Return the index of the item chosen from a list, or None when cancelled."""
        if not items:
            return None
        value, ok = QInputDialog.getItem(parent, title, label, items, 0, False)
        return items.index(value) if ok and value in items else None

    @staticmethod
    def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
        value, ok = QInputDialog.getText(parent, title, label, text=text)
        return value if ok else None

    @staticmethod
    def ask_password(
        parent: QWidget | None, message: str, can_remember: bool, remembered: bool = False
    ) -> tuple[str, bool] | None:
        """Return (password, remember in the keychain), or None when cancelled.

        remembered: the keychain holds one for this login already (the box starts ticked).
        """
        from matrix_desktop.ui.password_dialog import PasswordDialog

        dialog = PasswordDialog(message, can_remember, parent, remembered=remembered)
        if dialog.exec() != PasswordDialog.DialogCode.Accepted:
            return None
        return dialog.answer()

    @staticmethod
    def pick_date(
        parent: QWidget | None, title: str, label: str, initial: _dt.date | None = None
    ) -> _dt.date | None:
        """Return the date chosen on a calendar (from `initial`, or today); None if cancelled."""
        dialog = DateDialog(title, label, initial, parent)
        try:
            return dialog.date() if dialog.exec() else None
        finally:
            dialog.deleteLater()

    # -- files: every chooser starts in the folder used last, else Documents -------------
    def start_folder(self) -> str:
        """Return the folder a file chooser opens in: the one used last, else Documents."""
        last = self.settings.value(LAST_FOLDER_KEY) if self.settings is not None else None
        if isinstance(last, str) and last and os.path.isdir(last):
            return last
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        return documents if documents and os.path.isdir(documents) else os.path.expanduser("~")

    def remember_folder(self, path: str) -> None:
        """Remember the folder of a file (or a folder) the user chose, for the next chooser."""
        if self.settings is None or not path:
            return
        folder = path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path))
        self.settings.setValue(LAST_FOLDER_KEY, folder)

    def open_files(self, parent: QWidget | None, title: str, filters: str) -> list[str]:
        files, _ = QFileDialog.getOpenFileNames(parent, title, self.start_folder(), filters)
        if files:
            self.remember_folder(files[0])
        return files

    def open_file(self, parent: QWidget | None, title: str, filters: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, title, self.start_folder(), filters)
        if path:
            self.remember_folder(path)
        return path or None

    def save_file(
        self, parent: QWidget | None, title: str, suggested: str, filters: str
    ) -> str | None:
        """Ask where to save; suggested is a file name, offered in the folder used last."""
        start = (
            suggested if os.path.isabs(suggested) else os.path.join(self.start_folder(), suggested)
        )
        path, _ = QFileDialog.getSaveFileName(parent, title, start, filters)
        if path:
            self.remember_folder(path)
        return path or None

    def open_folder(self, parent: QWidget | None, title: str) -> str | None:
        folder = QFileDialog.getExistingDirectory(parent, title, self.start_folder())
        if folder:
            self.remember_folder(folder)
        return folder or None

    # -- a file just written -----------------------------------------------------------------
    def file_written(self, parent: QWidget | None, title: str, path: str, opened: bool) -> None:
        """Say where a file went when it could not be opened; offer its folder or its path."""
        if opened:
            return
        box = QMessageBox(
            QMessageBox.Icon.Information,
            title,
            f"Saved to:\n{path}\n\nIt could not be opened automatically on this computer.",
            QMessageBox.StandardButton.NoButton,
            parent,
        )
        box.setAccessibleName(f"{title}: saved")
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        show = box.addButton("&Show in folder", QMessageBox.ButtonRole.ActionRole)
        copy = box.addButton("&Copy path", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
        if box.clickedButton() is show and not show_in_folder(path):
            copy_path(path)
            self.info(parent, title, f"No file manager opened; the path is copied:\n{path}")
        elif box.clickedButton() is copy:
            copy_path(path)


def show_in_folder(path: str) -> bool:
    """Open the folder holding path in the desktop's file manager; False if none could."""
    folder = os.path.dirname(os.path.abspath(path))
    return QDesktopServices.openUrl(QUrl.fromLocalFile(folder))


def copy_path(path: str) -> None:
    """Put the file's full path on the clipboard."""
    QGuiApplication.clipboard().setText(os.path.abspath(path))


interaction = Interaction()
