"""A domain's rating details: confidence, direction, target, evidence, rationale, enablers, actions.

Actions have a status (a combo box in the Status cell), a completion date and a note; a live
action past its due date is marked overdue (allowed, not refused). The target stage and date
show their warnings (below the agreed stage, date passed) beside them.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from matrix_desktop.core.dates import EXAMPLE, DateError, iso_date, parse_date
from matrix_desktop.core.framework import Framework
from matrix_desktop.core.model import (
    Action,
    ActionStatus,
    Confidence,
    Direction,
    Rating,
    ThemeItem,
    new_id,
)
from matrix_desktop.core.plan import target_notes, today_iso
from matrix_desktop.ui.combos import add_items, item_value, select_value
from matrix_desktop.ui.interaction import interaction
from matrix_desktop.ui.keyboard import EntryItem, EntryTable, name_by_labels
from matrix_desktop.ui.workshop.widgets import CommittingTextEdit

ACTION_COLUMNS = ("What", "Owner", f"Due (e.g. {EXAMPLE})", "Status", "Completed", "Note")
DUE, STATUS, COMPLETED, NOTE = 2, 3, 4, 5  # columns
DATE_COLUMNS = (DUE, COMPLETED)
OVERDUE_FOREGROUND = QColor("#9b1c1c")
BAD_BACKGROUND = QColor("#fde2e2")
BAD_FOREGROUND = QColor("#9b1c1c")

Trigger = QTableWidget.EditTrigger
# Typing, F2 or a double click edit a cell; merely moving to one (Tab, arrows) does not, so the
# keyboard can pass through the table.
EDIT_TRIGGERS = (
    Trigger.DoubleClicked | Trigger.SelectedClicked | Trigger.EditKeyPressed | Trigger.AnyKeyPressed
)

# An action as shown: id, what, owner, due as typed, status value, completed as typed, note.
Row = tuple[str, str, str, str, str, str, str]


def _row_of(a: Action) -> Row:
    return (a.id, a.what, a.owner, a.due or "", a.status.value, a.completed_on or "", a.note)


class StatusDelegate(QStyledItemDelegate):
    """The Status cell's editor: a combo box of the four statuses; choosing one commits it."""

    def createEditor(  # noqa: N802 (Qt API)
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        box = QComboBox(parent)
        box.setAccessibleName("Action status")
        add_items(box, [(s.label, s) for s in ActionStatus])
        box.activated.connect(lambda _i: self._on_box_activated(box))
        return box

    def _on_box_activated(self, box: QComboBox) -> None:
        self.commitData.emit(box)
        self.closeEditor.emit(box, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(  # noqa: N802 (Qt API)
        self, editor: QWidget, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        assert isinstance(editor, QComboBox)
        select_value(editor, index.data(Qt.ItemDataRole.UserRole) or ActionStatus.OPEN.value)

    def setModelData(  # noqa: N802 (Qt API)
        self,
        editor: QWidget,
        model: QAbstractItemModel,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        assert isinstance(editor, QComboBox)
        status = item_value(editor, editor.currentIndex(), ActionStatus) or ActionStatus.OPEN
        model.setData(index, status.value, Qt.ItemDataRole.UserRole)
        model.setData(index, status.label, Qt.ItemDataRole.EditRole)


def _combo(name: str, options: list[tuple[str, object]]) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(name)
    add_items(box, options)
    return box


def themes_from_text(text: str, old: tuple[ThemeItem, ...]) -> tuple[ThemeItem, ...]:
    """One item per non-empty line, keeping the tags of lines that did not change."""
    tags = {t.text: t.tags for t in old}
    lines = [line.strip() for line in text.splitlines()]
    return tuple(ThemeItem(line, tags.get(line, ())) for line in lines if line)


class RatingDetails(QWidget):
    """Edits everything about one domain's rating except its stage and statements."""

    # field -> new value, for services.assessments.edit_rating. object, not dict: PySide6
    # passes a dict through a QVariantMap, which turns enum members (StrEnum) into plain str.
    edited = Signal(object)
    problem = Signal(str)  # a message about input that was not committed

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Rating details")
        self._rating: Rating | None = None
        # Actions that cannot be saved yet (a due date that is not a date), by (assessment
        # id, domain key): shown again when the domain is, until fixed and saved.
        self._drafts: dict[tuple[str, str], tuple[Row, ...]] = {}
        self._date_problem_shown = False
        self.confidence = _combo(
            "Confidence", [("Not set", None)] + [(c.value.capitalize(), c) for c in Confidence]
        )
        self.direction = _combo(
            "Direction of travel", [("Not set", None)] + [(d.label, d) for d in Direction]
        )
        self._framework: Framework | None = None
        self._origins: dict[str, str] = {}  # action id -> the earlier round it was agreed in
        self.target = _combo("Target stage", [("No target", None)])
        self.target_date = QLineEdit()
        self.target_date.setAccessibleName("Target date")
        self.target_date.setPlaceholderText(f"by (e.g. {EXAMPLE})")
        self.target_date.setMaximumWidth(140)
        self.target_note = QLabel("")
        self.target_note.setWordWrap(True)
        self.target_note.setAccessibleName("Target warnings")
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
        self.actions = EntryTable(0, len(ACTION_COLUMNS))
        self.actions.setAccessibleName("Actions: what, owner, due date, status, completed, note")
        self._status_delegate = StatusDelegate(self.actions)
        self.actions.setItemDelegateForColumn(STATUS, self._status_delegate)
        self.actions.setHorizontalHeaderLabels(ACTION_COLUMNS)
        header = self.actions.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.actions.verticalHeader().setVisible(False)
        self.actions.setMinimumHeight(80)
        self.add_action = QPushButton("Add ac&tion")
        self.add_action.setAccessibleName("Add action")
        self.remove_action = QPushButton("Remove action")
        self.remove_action.setAccessibleName("Remove the selected action")
        self.pick_due = QPushButton("Pick due date…")
        self.pick_due.setAccessibleName("Pick the selected action's due date from a calendar")

        top = QHBoxLayout()
        for text, box in (("&Confidence", self.confidence), ("&Direction", self.direction)):
            label = QLabel(text)
            label.setBuddy(box)
            top.addWidget(label)
            top.addWidget(box, 1)
        target_row = QHBoxLayout()
        for text, box in (("Tar&get stage", self.target), ("Target date", self.target_date)):
            label = QLabel(text)
            label.setBuddy(box)
            target_row.addWidget(label)
            target_row.addWidget(box)
        target_row.addWidget(self.target_note, 1)
        # Two columns keep the stage cards in view on a 768-pixel-high laptop screen.
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        for n, (text, edit) in enumerate(
            (
                ("Ev&idence", self.evidence),
                ("Rationa&le for the agreed stage", self.rationale),
                ("Key ena&blers (one per line)", self.enablers),
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
        buttons.addWidget(self.pick_due)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(target_row)
        layout.addLayout(grid)
        actions_label = QLabel("Actions")
        actions_label.setBuddy(self.actions)
        layout.addWidget(actions_label)
        layout.addWidget(self.actions)
        layout.addLayout(buttons)

        name_by_labels(self)
        self.confidence.activated.connect(self._on_confidence_activated)
        self.direction.activated.connect(self._on_direction_activated)
        self.target.activated.connect(self._on_target_activated)
        self.target_date.editingFinished.connect(self._on_target_date_editingFinished)
        self.actions.itemChanged.connect(self._on_actions_itemChanged)
        self.add_action.clicked.connect(self._on_add_action_clicked)
        self.remove_action.clicked.connect(self._on_remove_action_clicked)
        self.pick_due.clicked.connect(self._on_pick_due_clicked)

    # -- showing -----------------------------------------------------------------------
    def show_rating(self, rating: Rating) -> None:
        """Show a rating's stored values (no edit is emitted), or its unsaved actions."""
        same_domain = self._rating is not None and _key(self._rating) == _key(rating)
        self._rating = rating
        select_value(self.confidence, rating.confidence)
        select_value(self.direction, rating.direction)
        self._show_target(rating)
        # Within one domain, text being typed stays (another copy's change of the same
        # field then meets it as a conflict when it is committed, never wiping it).
        keep = same_domain
        self.evidence.show_text(rating.evidence, keep_typing=keep)
        self.rationale.show_text(rating.rationale, keep_typing=keep)
        self.enablers.show_text("\n".join(t.text for t in rating.enablers), keep_typing=keep)
        self.support.show_text("\n".join(t.text for t in rating.support_requests), keep_typing=keep)
        if keep and self.actions.state() == QAbstractItemView.State.EditingState:
            return  # a cell is being typed in: the table follows after it is committed
        stored = tuple(_row_of(a) for a in rating.actions)
        rows = self._drafts.get(_key(rating), stored)
        if rows == stored:
            self._drafts.pop(_key(rating), None)
        if not same_domain or self._table_rows() != rows:
            self.actions.blockSignals(True)
            self.actions.setRowCount(0)
            for row in rows:
                self._append_row(row)
            self.actions.blockSignals(False)
        self._report(self._check_due_dates())

    def set_editable(self, editable: bool) -> None:
        self.target_date.setReadOnly(not editable)
        for box in (
            self.confidence,
            self.direction,
            self.target,
            self.add_action,
            self.remove_action,
            self.pick_due,
        ):
            box.setEnabled(editable)
        for edit in (self.evidence, self.rationale, self.enablers, self.support):
            edit.setReadOnly(not editable)
        self.actions.setEditTriggers(EDIT_TRIGGERS if editable else Trigger.NoEditTriggers)

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
        chosen = item_value(self.confidence, index, Confidence)
        if self._rating and chosen != self._rating.confidence:
            self._emit(confidence=chosen)

    def _on_direction_activated(self, index: int) -> None:
        chosen = item_value(self.direction, index, Direction)
        if self._rating and chosen != self._rating.direction:
            self._emit(direction=chosen)

    # -- target ------------------------------------------------------------------------
    def set_framework(self, framework: Framework) -> None:
        """Offer the framework's stages as targets (called when the screen opens)."""
        if self._framework is not None and self._framework.ref == framework.ref:
            return
        self._framework = framework
        self.target.clear()
        add_items(self.target, [("No target", None)] + [(s.name, s.key) for s in framework.stages])

    def set_action_origins(self, origins: dict[str, str]) -> None:
        """Say, for actions carried over, the earlier round each was agreed in."""
        self._origins = dict(origins)

    def _show_target(self, rating: Rating) -> None:
        select_value(self.target, rating.target_stage)
        if not self.target_date.hasFocus():
            self.target_date.setText(rating.target_date or "")
        self.target_date.setEnabled(rating.target_stage is not None)
        notes = target_notes(self._framework, rating, today_iso()) if self._framework else []
        text = "; ".join(notes)
        self.target_note.setText(f"Note: {text}." if text else "")

    def _on_target_activated(self, index: int) -> None:
        chosen = item_value(self.target, index, str)
        if self._rating is None or chosen == self._rating.target_stage:
            return
        if chosen is None:
            self._emit(target_stage=None, target_date=None)
        else:
            self._emit(target_stage=chosen)

    def _on_target_date_editingFinished(self) -> None:  # noqa: N802 (Qt signal name)
        if self._rating is None or self.target_date.isReadOnly():
            return
        text = self.target_date.text().strip()
        try:
            iso = iso_date(text) if text else None
        except DateError as exc:
            self.problem.emit(f"Target date {exc}. It is kept here, not saved, until fixed.")
            return
        if iso and self.target_date.text() != iso:
            self.target_date.setText(iso)
        if iso != self._rating.target_date:
            self._emit(target_date=iso)

    # -- actions -------------------------------------------------------------------------
    def _append_action_row(self, action: Action) -> None:
        self._append_row(_row_of(action))

    def _append_row(self, shown: Row) -> None:
        aid, what, owner, due, status, completed, note = shown
        row = self.actions.rowCount()
        self.actions.insertRow(row)
        label = ActionStatus(status).label
        for col, text in enumerate((what, owner, due, label, completed, note)):
            item = EntryItem(text)
            if col == 0:
                item.setData(Qt.ItemDataRole.UserRole, aid)
                if aid in self._origins:
                    said = f"Agreed in {self._origins[aid]}, carried into this round"
                    item.setToolTip(said)
                    item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, said)
            if col == STATUS:
                item.setData(Qt.ItemDataRole.UserRole, status)
            self.actions.setItem(row, col, item)

    def _table_rows(self) -> tuple[Row, ...]:
        out = []
        for row in range(self.actions.rowCount()):
            cells = [self.actions.item(row, c) for c in range(len(ACTION_COLUMNS))]
            what, owner, due, _label, completed, note = (
                c.text().strip() if c else "" for c in cells
            )
            aid = cells[0].data(Qt.ItemDataRole.UserRole) if cells[0] else None
            raw = cells[STATUS].data(Qt.ItemDataRole.UserRole) if cells[STATUS] else None
            status = str(raw) if raw else ActionStatus.OPEN.value
            out.append((str(aid) if aid else new_id(), what, owner, due, status, completed, note))
        return tuple(out)

    def _check_due_dates(self) -> list[tuple[int, str]]:
        """Mark each date that is not a date, and overdue actions; return (number, reason)."""
        problems = []
        today = today_iso()
        self.actions.blockSignals(True)
        try:
            for row in range(self.actions.rowCount()):
                for col in DATE_COLUMNS:
                    item = self.actions.item(row, col)
                    if item is None:
                        continue
                    reason = ""
                    if item.text().strip():
                        try:
                            parse_date(item.text())
                        except DateError as exc:
                            reason = str(exc)
                            word = "due date" if col == DUE else "completion date"
                            problems.append((row + 1, f"{word} {reason}"))
                    _mark(item, reason)
                self._mark_overdue(row, today)
        finally:
            self.actions.blockSignals(False)
        return problems

    def _mark_overdue(self, row: int, today: str) -> None:
        """Mark a live action whose due date has passed (allowed: it is shown, not refused)."""
        due, status = self.actions.item(row, DUE), self.actions.item(row, STATUS)
        if due is None or status is None or due.toolTip().startswith("Not saved"):
            return
        live = ActionStatus(str(status.data(Qt.ItemDataRole.UserRole) or "open")).is_live
        try:
            late = bool(due.text().strip()) and live and iso_date(due.text()) < today
        except DateError:
            late = False
        font = QFont(due.font())
        font.setBold(late)
        due.setFont(font)
        if late:
            due.setForeground(QBrush(OVERDUE_FOREGROUND))
        else:
            due.setData(Qt.ItemDataRole.ForegroundRole, None)
        due.setToolTip("Overdue" if late else "")
        due.setData(Qt.ItemDataRole.AccessibleDescriptionRole, "Overdue" if late else None)

    def _report(self, problems: list[tuple[int, str]]) -> None:
        """Say what is wrong with the due dates; clear the message once they are fixed."""
        if problems:
            self.problem.emit(self._problem_text(problems))
        elif self._date_problem_shown:
            self.problem.emit("")
        self._date_problem_shown = bool(problems)

    @staticmethod
    def _problem_text(problems: list[tuple[int, str]]) -> str:
        said = "; ".join(f"Action {n}: {reason}" for n, reason in problems)
        return (
            f"{said}. Write it as day/month/year (e.g. {EXAMPLE}) or year-month-day, or use "
            "Pick due date. The actions are kept here, marked, but not saved until then."
        )

    def _normalise_due_dates(self) -> None:
        """Write every due date as YYYY-MM-DD (all are dates when this is called)."""
        self.actions.blockSignals(True)
        try:
            for row in range(self.actions.rowCount()):
                for col in DATE_COLUMNS:
                    item = self.actions.item(row, col)
                    if item is not None and item.text().strip():
                        iso = iso_date(item.text())
                        if item.text() != iso:
                            item.setText(iso)
        finally:
            self.actions.blockSignals(False)

    def _table_changed(self) -> None:
        """Save the table's actions, or keep them here (marked) while a due date is not a date."""
        if self._rating is None:
            return
        problems = self._check_due_dates()
        self._report(problems)
        if problems:
            self._drafts[_key(self._rating)] = self._table_rows()
            return
        self._drafts.pop(_key(self._rating), None)
        self._normalise_due_dates()
        today = today_iso()
        actions = []
        for aid, what, owner, due, status, completed, note in self._table_rows():
            state = ActionStatus(status)
            # Done or dropped records when (today unless typed); open again clears it.
            done_on = None if state.is_live else (completed or today)
            actions.append(Action(aid, what, owner, due or None, state, done_on, note))
        if tuple(actions) != self._rating.actions:
            self._emit(actions=tuple(actions))

    def _on_actions_itemChanged(self, _item: QTableWidgetItem) -> None:
        self._table_changed()

    def _on_add_action_clicked(self) -> None:
        self.actions.blockSignals(True)
        self._append_action_row(Action(new_id(), ""))
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
        self._table_changed()

    def _on_pick_due_clicked(self) -> None:
        row = self.actions.currentRow()
        if row < 0:
            self.problem.emit(
                "Select an action first, then pick its due date."
                if self.actions.rowCount()
                else "Add an action first, then pick its due date."
            )
            return
        item = self.actions.item(row, DUE)
        try:
            initial = parse_date(item.text()) if item and item.text().strip() else None
        except DateError:
            initial = None
        what_item = self.actions.item(row, 0)
        what = what_item.text().strip() if what_item else ""
        chosen = interaction.pick_date(
            self,
            "Pick due date",
            f"Due date for action {row + 1}" + (f": {what}" if what else ""),
            initial,
        )
        if chosen is None:
            return
        self.actions.setCurrentCell(row, DUE)
        self.actions.setFocus()
        if item is None:
            self.actions.blockSignals(True)
            self.actions.setItem(row, DUE, EntryItem(chosen.isoformat()))
            self.actions.blockSignals(False)
            self._table_changed()
        else:  # itemChanged follows, which saves it like a typed date
            item.setText(chosen.isoformat())


def _key(rating: Rating) -> tuple[str, str]:
    return (rating.assessment_id, rating.domain_key)


def _mark(item: QTableWidgetItem, reason: str) -> None:
    """Colour a due date that is not a date, with the reason as its tooltip; clear otherwise."""
    if reason:
        item.setBackground(QBrush(BAD_BACKGROUND))
        item.setForeground(QBrush(BAD_FOREGROUND))
    else:
        item.setData(Qt.ItemDataRole.BackgroundRole, None)
        item.setData(Qt.ItemDataRole.ForegroundRole, None)
    item.setToolTip(f"Not saved: {reason}" if reason else "")
    item.setData(
        Qt.ItemDataRole.AccessibleDescriptionRole, f"Not a date: {reason}" if reason else None
    )
