"""A small dialog to pick one date from a calendar (keyboard: arrows move, Return accepts)."""

from __future__ import annotations

import datetime as _dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCalendarWidget,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from matrix_desktop.ui.keyboard import literal


class DateDialog(QDialog):
    """Pick a date; `initial` (or today) is selected to begin with."""

    def __init__(
        self, title: str, label: str, initial: _dt.date | None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.calendar = QCalendarWidget(self)
        self.calendar.setAccessibleName(label)
        self.calendar.setGridVisible(True)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        start = initial or _dt.date.today()
        self.calendar.setSelectedDate(QDate(start.year, start.month, start.day))
        caption = QLabel(literal(label), self)  # an action's text may hold an "&"
        caption.setBuddy(self.calendar)
        caption.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setAccessibleName("Use this date")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(
            "Cancel: keep the date as it was"
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.calendar.activated.connect(self._on_calendar_activated)  # Return or double-click
        layout = QVBoxLayout(self)
        layout.addWidget(caption)
        layout.addWidget(self.calendar)
        layout.addWidget(self.buttons)
        self.calendar.setFocus()

    def _on_calendar_activated(self, _date: QDate) -> None:
        self.accept()

    def date(self) -> _dt.date:
        chosen = self.calendar.selectedDate()
        return _dt.date(chosen.year(), chosen.month(), chosen.day())
