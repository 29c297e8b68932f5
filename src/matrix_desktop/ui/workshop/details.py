"""A domain's rating details: confidence, direction, evidence, rationale, enablers, actions."""

from __future__ import annotations

import datetime as _dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from matrix_desktop.core.model import Action, Confidence, Direction, Rating, ThemeItem, new_id
from matrix_desktop.ui.workshop.widgets import CommittingTextEdit

ACTION_COLUMNS = ("What", "Owner", "Due (YYYY-MM-DD)")


def _combo(name: str, options: list[tuple[str, object]]) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(name)
    for label, value in options:
        box.addItem(label, value)
    return box


def themes_from_text(text: str, old: tuple[ThemeItem, ...]) -> tuple[ThemeItem, ...]:
    """One item per non-empty line, keeping the tags of lines that did not change."""
    tags = {t.text: t.tags for t in old}
    lines = [line.strip() for line in text.splitlines()]
    return tuple(ThemeItem(line, tags.get(line, ())) for line in lines if line)


class RatingDetails(QWidget):
    """Edits everything about one domain's rating except its stage and statements."""

    edited = Signal(dict)  # field -> new value, for services.assessments.edit_rating
    problem = Signal(str)  # a message about input that was not committed

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Rating details")
        self._rating: Rating | None = None
        self.confidence = _combo(
            "Confidence", [("Not set", None)] + [(c.value.capitalize(), c) for c in Confidence]
        )
        self.direction = _combo(
            "Direction of travel", [("Not set", None)] + [(d.label, d) for d in Direction]
        )
        self.evidence = CommittingTextEdit("Evidence", lambda t: self._emit(evidence=t))
        self.rationale = CommittingTextEdit(
            "Rationale for the agreed stage", lambda t: self._emit(rationale=t)
        )
        self.enablers = CommittingTextEdit(
            "Key enablers, one per line",
            lambda t: self._emit(enablers=themes_from_text(t, self._old("enablers"))),
        )
        self.support = CommittingTextEdit(
            "Requests for support, one per line",
            lambda t: self._emit(support_requests=themes_from_text(t, self._old("support"))),
        )
        for edit in (self.evidence, self.rationale, self.enablers, self.support):
            edit.setMinimumHeight(48)
        self.actions = QTableWidget(0, len(ACTION_COLUMNS))
        self.actions.setAccessibleName("Actions: what, owner, due date")
        self.actions.setHorizontalHeaderLabels(ACTION_COLUMNS)
        header = self.actions.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.actions.verticalHeader().setVisible(False)
        self.actions.setTabKeyNavigation(False)  # Tab leaves the table, arrows move inside
        self.actions.setMinimumHeight(80)
        self.add_action = QPushButton("&Add action")
        self.add_action.setAccessibleName("Add action")
        self.remove_action = QPushButton("Remove action")
        self.remove_action.setAccessibleName("Remove the selected action")

        top = QHBoxLayout()
        for text, box in (("&Confidence", self.confidence), ("Di&rection", self.direction)):
            label = QLabel(text)
            label.setBuddy(box)
            top.addWidget(label)
            top.addWidget(box, 1)
        # Two columns keep the stage cards in view on a 768-pixel-high laptop screen.
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        for n, (text, edit) in enumerate(
            (
                ("&Evidence", self.evidence),
                ("Rationa&le for the agreed stage", self.rationale),
                ("Key e&nablers (one per line)", self.enablers),
                ("Re&quests for support (one per line)", self.support),
            )
        ):
            label = QLabel(text)
            label.setBuddy(edit)
            row, col = divmod(n, 2)
            grid.addWidget(label, row * 2, col)
            grid.addWidget(edit, row * 2 + 1, col)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_action)
        buttons.addWidget(self.remove_action)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(grid)
        actions_label = QLabel("Actions")
        actions_label.setBuddy(self.actions)
        layout.addWidget(actions_label)
        layout.addWidget(self.actions)
        layout.addLayout(buttons)

        self.confidence.activated.connect(self._on_confidence_activated)
        self.direction.activated.connect(self._on_direction_activated)
        self.actions.itemChanged.connect(self._on_actions_itemChanged)
        self.add_action.clicked.connect(self._on_add_action_clicked)
        self.remove_action.clicked.connect(self._on_remove_action_clicked)

    # -- showing -----------------------------------------------------------------------
    def show_rating(self, rating: Rating) -> None:
        """Show a rating's stored values (no edit is emitted)."""
        self._rating = rating
        self.confidence.setCurrentIndex(max(self.confidence.findData(rating.confidence), 0))
        self.direction.setCurrentIndex(max(self.direction.findData(rating.direction), 0))
        self.evidence.show_text(rating.evidence)
        self.rationale.show_text(rating.rationale)
        self.enablers.show_text("\n".join(t.text for t in rating.enablers))
        self.support.show_text("\n".join(t.text for t in rating.support_requests))
        if self._table_actions() != rating.actions:
            self.actions.blockSignals(True)
            self.actions.setRowCount(0)
            for a in rating.actions:
                self._append_action_row(a)
            self.actions.blockSignals(False)

    def set_editable(self, editable: bool) -> None:
        for box in (self.confidence, self.direction, self.add_action, self.remove_action):
            box.setEnabled(editable)
        for edit in (self.evidence, self.rationale, self.enablers, self.support):
            edit.setReadOnly(not editable)
        self.actions.setEditTriggers(
            QTableWidget.EditTrigger.AllEditTriggers
            if editable
            else QTableWidget.EditTrigger.NoEditTriggers
        )

    def flush(self) -> None:
        """Commit any text typed but not yet committed."""
        for edit in (self.evidence, self.rationale, self.enablers, self.support):
            edit.flush()

    # -- editing -----------------------------------------------------------------------
    def _old(self, which: str) -> tuple[ThemeItem, ...]:
        if self._rating is None:
            return ()
        return self._rating.enablers if which == "enablers" else self._rating.support_requests

    def _emit(self, **changes: object) -> None:
        if self._rating is not None:
            self.edited.emit(changes)

    def _on_confidence_activated(self, index: int) -> None:
        if self._rating and self.confidence.itemData(index) != self._rating.confidence:
            self._emit(confidence=self.confidence.itemData(index))

    def _on_direction_activated(self, index: int) -> None:
        if self._rating and self.direction.itemData(index) != self._rating.direction:
            self._emit(direction=self.direction.itemData(index))

    def _append_action_row(self, action: Action) -> None:
        row = self.actions.rowCount()
        self.actions.insertRow(row)
        for col, text in enumerate((action.what, action.owner, action.due or "")):
            item = QTableWidgetItem(text)
            if col == 0:
                item.setData(Qt.ItemDataRole.UserRole, action.id)
            self.actions.setItem(row, col, item)

    def _table_actions(self) -> tuple[Action, ...]:
        out = []
        for row in range(self.actions.rowCount()):
            cells = [self.actions.item(row, c) for c in range(len(ACTION_COLUMNS))]
            what, owner, due = (c.text().strip() if c else "" for c in cells)
            aid = cells[0].data(Qt.ItemDataRole.UserRole) if cells[0] else None
            out.append(Action(aid or new_id(), what, owner, due or None))
        return tuple(out)

    def _on_actions_itemChanged(self, item: QTableWidgetItem) -> None:
        actions = self._table_actions()
        for n, a in enumerate(actions, start=1):
            if a.due:
                try:
                    _dt.date.fromisoformat(a.due)
                except ValueError:
                    self.problem.emit(
                        f"Action {n}: due date {a.due!r} is not a date; write it as YYYY-MM-DD "
                        "(e.g. 2022-03-31). The action is kept here but not saved until then."
                    )
                    return
        if self._rating is not None and actions != self._rating.actions:
            self._emit(actions=actions)

    def _on_add_action_clicked(self) -> None:
        self.actions.blockSignals(True)
        self._append_action_row(Action(new_id(), "", "", None))
        self.actions.blockSignals(False)
        row = self.actions.rowCount() - 1
        self.actions.setCurrentCell(row, 0)
        self.actions.setFocus()
        self.actions.editItem(self.actions.item(row, 0))

    def _on_remove_action_clicked(self) -> None:
        row = self.actions.currentRow()
        if row < 0:
            return
        self.actions.removeRow(row)
        if self._rating is not None and self._table_actions() != self._rating.actions:
            self._emit(actions=self._table_actions())
