"""Small widgets the workshop screens are built from: text that commits itself, statement rows."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QMouseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QWidget,
)

from matrix_desktop.ui.keyboard import literal

IDLE_MS = 600  # typing pauses this long before the text is committed


class CommittingTextEdit(QPlainTextEdit):
    """A text box that commits its text after a pause in typing, on focus-out and on flush().

    `commit` is called with the text only when it differs from the last committed text,
    so nothing typed is lost and no empty edits reach the undo stack.
    """

    def __init__(self, name: str, commit: Callable[[str], object], parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setPlaceholderText(name)
        self.setTabChangesFocus(True)  # Tab moves on, as everywhere else on the screen
        self._commit = commit
        self._committed = ""
        self.last_base = ""  # what the last committed text replaced, as the user saw it
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(IDLE_MS)
        self._timer.timeout.connect(self.flush)
        self.textChanged.connect(self._on_self_textChanged)

    @property
    def pending(self) -> bool:
        return self.toPlainText() != self._committed

    @property
    def seen(self) -> str:
        """The stored text the user's typing started from (what they saw)."""
        return self._committed

    def show_text(self, text: str, *, keep_typing: bool = False) -> None:
        """Show stored text (after a reload, undo or domain change) without committing it.

        keep_typing: when the user has typed text not yet committed, leave it (and what it
        was based on) alone: another person's change to this field then meets it as a
        conflict when it is committed, instead of wiping what is being typed.
        """
        if keep_typing and self.pending:
            return
        self._timer.stop()
        self._committed = text
        if self.toPlainText() != text:
            self.blockSignals(True)
            self.setPlainText(text)
            self.blockSignals(False)

    def flush(self) -> None:
        """Commit the text now if it changed since the last commit."""
        self._timer.stop()
        text = self.toPlainText()
        if text == self._committed or self.isReadOnly():
            return
        self.last_base = self._committed
        self._committed = text
        self._commit(text)

    def _on_self_textChanged(self) -> None:
        if not self.isReadOnly():
            self._timer.start()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.flush()
        super().focusOutEvent(event)


class WrappingLabel(QLabel):
    """A label that wraps, selectable by mouse, sized to its text."""

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)


class _ClickLabel(WrappingLabel):
    clicked = Signal()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mousePressEvent(event)


class StatementRow(QWidget):
    """A descriptor statement with a tick box; the whole wrapped text toggles it."""

    toggled = Signal(str, bool)  # statement id, met

    def __init__(self, statement_id: str, text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.statement_id = statement_id
        self.box = QCheckBox(self)
        # Named by its statement, as the label reads; ticked or not says whether it is met.
        self.box.setAccessibleName(text)
        self.box.setAccessibleDescription("Tick when the room judges this statement met")
        self.box.setToolTip("Tick when the room judges this statement met")
        self.label = _ClickLabel(literal(text), self)  # an '&' in a statement is text
        self.label.setBuddy(self.box)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 1)
        self.label.clicked.connect(self._on_label_clicked)
        self.box.toggled.connect(self._on_box_toggled)

    def set_met(self, met: bool) -> None:
        self.box.blockSignals(True)
        self.box.setChecked(met)
        self.box.blockSignals(False)

    def _on_label_clicked(self) -> None:
        if self.box.isEnabled():
            self.box.toggle()
            self.box.setFocus(Qt.FocusReason.MouseFocusReason)

    def _on_box_toggled(self, checked: bool) -> None:
        self.toggled.emit(self.statement_id, checked)
