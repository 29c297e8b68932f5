"""Every prompt the app shows goes through here, so tests can answer them without dialogs."""

from __future__ import annotations

import datetime as _dt

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from matrix_desktop.ui.date_dialog import DateDialog


class Interaction:
    """Message boxes and file choosers behind one patchable port."""

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
    def pick_date(
        parent: QWidget | None, title: str, label: str, initial: _dt.date | None = None
    ) -> _dt.date | None:
        """Return the date chosen on a calendar (from `initial`, or today); None if cancelled."""
        dialog = DateDialog(title, label, initial, parent)
        try:
            return dialog.date() if dialog.exec() else None
        finally:
            dialog.deleteLater()

    @staticmethod
    def open_files(parent: QWidget | None, title: str, filters: str) -> list[str]:
        files, _ = QFileDialog.getOpenFileNames(parent, title, "", filters)
        return files

    @staticmethod
    def open_file(parent: QWidget | None, title: str, filters: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, title, "", filters)
        return path or None

    @staticmethod
    def save_file(parent: QWidget | None, title: str, suggested: str, filters: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
        return path or None

    @staticmethod
    def open_folder(parent: QWidget | None, title: str) -> str | None:
        return QFileDialog.getExistingDirectory(parent, title) or None


interaction = Interaction()
