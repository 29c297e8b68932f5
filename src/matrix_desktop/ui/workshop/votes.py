"""The room's views: a participants x domains grid of stages, and each domain's spread of views."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from matrix_desktop.core.workshop import SpreadRow

__all__ = ["Column", "SpreadModel", "SpreadRow", "VotesModel", "VotesTable"]

Index = QModelIndex | QPersistentModelIndex
VoteSink = Callable[[str, str, str | None], bool]  # participant id, domain key, stage -> saved?
NOT_GIVEN = "—"
_ROOT = QModelIndex()


@dataclass(frozen=True)
class Column:
    """A domain as a column: its key, a short heading and its full title."""

    key: str
    heading: str
    title: str
    applies: bool = True


class VotesModel(QAbstractTableModel):
    """Participants (rows) x domains (columns); each cell a stage key or None. Plain values only."""

    def __init__(
        self,
        stages: Sequence[tuple[str, str]],
        sink: VoteSink | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.stages = list(stages)  # (key, name) in order
        self._names = dict(self.stages)
        self.sink = sink
        self.participants: list[tuple[str, str]] = []  # (id, label)
        self.columns: list[Column] = []
        self.votes: dict[tuple[str, str], str | None] = {}
        self.editable = True

    def reset(
        self,
        participants: Sequence[tuple[str, str]],
        columns: Sequence[Column],
        votes: dict[tuple[str, str], str | None],
    ) -> None:
        self.beginResetModel()
        self.participants = list(participants)
        self.columns = list(columns)
        self.votes = dict(votes)
        self.endResetModel()

    def update_votes(self, votes: dict[tuple[str, str], str | None]) -> None:
        """Take new votes and announce only the cells that changed."""
        for r, (pid, _label) in enumerate(self.participants):
            for c, col in enumerate(self.columns):
                key = (pid, col.key)
                if self.votes.get(key) != votes.get(key):
                    self.votes[key] = votes.get(key)
                    self.dataChanged.emit(self.index(r, c), self.index(r, c))

    # -- Qt model ----------------------------------------------------------------------
    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.participants)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def stage_at(self, index: Index) -> str | None:
        pid = self.participants[index.row()][0]
        return self.votes.get((pid, self.columns[index.column()].key))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if (
            not index.isValid()
            or not (0 <= index.row() < len(self.participants))
            or not (0 <= index.column() < len(self.columns))
        ):
            return None
        stage = self.stage_at(index)
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if not col.applies:
                return "n/a"
            return self._names.get(stage, stage) if stage else NOT_GIVEN
        if role == Qt.ItemDataRole.EditRole:
            return stage
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            who = self.participants[index.row()][1]
            view = self._names.get(stage, stage) if stage else "no view yet"
            return f"{who}, {col.title}: {view}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            col = self.columns[section]
            return col.heading if role == Qt.ItemDataRole.DisplayRole else col.title
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.participants):
            return self.participants[section][1]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.editable and self.columns[index.column()].applies:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Record a view: value is a stage key, a 1-based position, or None to clear it."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        stage = self._stage_from(value)
        if stage is False or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        pid = self.participants[index.row()][0]
        key = (pid, self.columns[index.column()].key)
        if self.votes.get(key) == stage:
            return True
        if self.sink is not None and not self.sink(pid, key[1], stage):  # type: ignore[arg-type]
            return False
        self.votes[key] = stage  # type: ignore[assignment]
        self.dataChanged.emit(index, index)
        return True

    def _stage_from(self, value: object) -> str | None | bool:
        if value is None or value == "" or value == 0:
            return None
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            n = int(value)
            return self.stages[n - 1][0] if 1 <= n <= len(self.stages) else False
        return value if value in self._names else False


class VotesTable(QTableView):
    """The grid, driven by the keyboard: 1-N records a view and moves to the next person."""

    problem = Signal(str)

    def __init__(self, model: VotesModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setModel(model)
        self.setAccessibleName("Participants' views: participants by domains")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setMinimumSectionSize(70)

    def vote_model(self) -> VotesModel:
        return self.model()  # type: ignore[return-value]

    def keyPressEvent(self, event: QKeyEvent) -> None:
        model = self.vote_model()
        index = self.currentIndex()
        key = event.key()
        text = event.text()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if (
            index.isValid()
            and modifiers == Qt.KeyboardModifier.NoModifier
            and (
                (text.isdigit() and len(text) == 1)
                or key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            )
        ):
            value: object = int(text) if text.isdigit() else None
            if not model.editable:
                self.problem.emit("This assessment is final: reopen it to change the views.")
            elif not model.columns[index.column()].applies:
                self.problem.emit(f"{model.columns[index.column()].title} does not apply here.")
            elif isinstance(value, int) and value > len(model.stages):
                self.problem.emit(f"Use 1-{len(model.stages)} for a stage, 0 or Delete to clear.")
            elif model.setData(index, value) and index.row() + 1 < model.rowCount():
                self.setCurrentIndex(model.index(index.row() + 1, index.column()))
            event.accept()
            return
        super().keyPressEvent(event)


SPREAD_FIXED = ("Domain",)
SPREAD_TAIL = ("Views", "Spread", "Agreed", "Rationale")


class SpreadModel(QAbstractTableModel):
    """Each domain's distribution of views, the spread flag and the agreed stage. Plain values."""

    def __init__(self, stage_names: Sequence[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.headings = [*SPREAD_FIXED, *stage_names, *SPREAD_TAIL]
        self.stage_count = len(stage_names)
        self.rows: list[SpreadRow] = []

    def set_rows(self, rows: Sequence[SpreadRow]) -> None:
        rows = list(rows)
        if len(rows) == len(self.rows):
            changed = [i for i, (a, b) in enumerate(zip(rows, self.rows, strict=True)) if a != b]
            self.rows = rows
            for i in changed:
                self.dataChanged.emit(self.index(i, 0), self.index(i, self.columnCount() - 1))
            return
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.headings)

    def cell(self, row: int, column: int) -> object:
        r = self.rows[row]
        if column == 0:
            return r.domain
        if column <= self.stage_count:
            return r.counts[column - 1]
        tail = column - self.stage_count - 1
        return (r.voters, "VIEWS DIFFER" if r.flagged else "", r.agreed, r.rationale)[tail]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if (
            not index.isValid()
            or not (0 <= index.row() < len(self.rows))
            or not (0 <= index.column() < len(self.headings))
        ):
            return None
        value = self.cell(index.row(), index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if isinstance(value, str) and len(value) > 120:
                return value[:119].replace("\n", " ") + "…"
            return value if not isinstance(value, str) else value.replace("\n", " ")
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{self.rows[index.row()].domain}, {self.headings[index.column()]}: {value}"
        if role == Qt.ItemDataRole.TextAlignmentRole and 0 < index.column() <= self.stage_count + 1:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.headings):
            return self.headings[section]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.rows):
            return section + 1
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
