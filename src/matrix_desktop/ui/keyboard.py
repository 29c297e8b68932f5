"""Keyboard and screen-reader helpers: mnemonics, controls named by labels, Tab that leaves."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QDateEdit,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

_AMP = "\x00"  # stands in for a literal "&&" while the mnemonic "&" is found


def plain_text(text: str) -> str:
    """Return label text as it reads: the mnemonic '&' gone, '&&' a literal '&'."""
    return text.replace("&&", _AMP).replace("&", "").replace(_AMP, "&")


def mnemonic(text: str) -> str | None:
    """Return the Alt+letter a label or button text binds (upper case), or None."""
    cleaned = text.replace("&&", _AMP)
    at = cleaned.find("&")
    if at < 0 or at + 1 >= len(cleaned) or cleaned[at + 1] == _AMP:
        return None
    return cleaned[at + 1].upper()


def literal(text: str) -> str:
    """Return user text for a label or button, its '&' shown instead of taken as a mnemonic."""
    return text.replace("&", "&&")


def name_by_labels(root: QWidget) -> None:
    """Give each labelled control its label's text as its accessible name.

    A screen reader then says what the eye reads ("Direction", not the combo box's value).
    A longer name the control had becomes its accessible description, so nothing is lost.
    """
    for label in root.findChildren(QLabel):
        buddy = label.buddy()
        text = plain_text(label.text()).strip()
        if buddy is None or not text or buddy.accessibleName() == text:
            continue
        old = buddy.accessibleName()
        if old and not buddy.accessibleDescription():
            buddy.setAccessibleDescription(old)
        buddy.setAccessibleName(text)


def labelled(text: str, control: QWidget, parent: QWidget | None = None) -> QLabel:
    """Return a label for control (text may hold a mnemonic); the control takes it as its name."""
    label = QLabel(text, parent)
    label.setBuddy(control)
    old = control.accessibleName()
    name = plain_text(text).strip()
    if old and old != name and not control.accessibleDescription():
        control.setAccessibleDescription(old)
    control.setAccessibleName(name)
    return label


class EntryItem(QTableWidgetItem):
    """A cell of an EntryTable: left blank, a screen reader says "Owner: blank", not nothing."""

    def data(self, role: int) -> object:
        if role == Qt.ItemDataRole.AccessibleTextRole and not self.text().strip():
            own = super().data(role)
            if own:
                return own
            table = self.tableWidget()
            header = table.horizontalHeaderItem(self.column()) if table is not None else None
            return f"{header.text()}: blank" if header is not None else "blank"
        return super().data(role)


class EntryTable(QTableWidget):
    """A table typed into cell by cell: arrows move inside, Tab commits the cell and leaves.

    Qt's item delegate answers Tab in an open editor by editing the next cell, whatever
    tabKeyNavigation says, so a keyboard user typing in a table could never Tab out of it.
    Fill every cell with an EntryItem. (Not through setItemPrototype: a clone made in
    Python is freed by Python while the table still holds it.)
    """

    def __init__(self, rows: int, columns: int, parent: QWidget | None = None):
        super().__init__(rows, columns, parent)
        self.setTabKeyNavigation(False)

    def closeEditor(  # noqa: N802 (Qt API)
        self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint
    ) -> None:
        moves = (
            QAbstractItemDelegate.EndEditHint.EditNextItem,
            QAbstractItemDelegate.EndEditHint.EditPreviousItem,
        )
        if hint not in moves or self.tabKeyNavigation():
            super().closeEditor(editor, hint)
            return
        super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        self.focusNextPrevChild(hint == QAbstractItemDelegate.EndEditHint.EditNextItem)


class DateField(QDateEdit):
    """A date box that one Tab leaves; Left and Right move between day, month and year."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        tab = event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
        if tab and not event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        ):
            forward = event.key() == Qt.Key.Key_Tab and not (
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            )
            QWidget.focusNextPrevChild(self, forward)
            event.accept()
            return
        super().keyPressEvent(event)
