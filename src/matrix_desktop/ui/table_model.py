"""A read-only Qt table model over plain text rows, and small helpers for building tables."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class TextTableModel(QAbstractTableModel):
    """Rows of text under headers; replaced wholesale with set_rows (plain values only)."""

    def __init__(
        self,
        headers: Sequence[str] = (),
        rows: Sequence[Sequence[str]] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._headers: tuple[str, ...] = tuple(headers)
        self._rows: tuple[tuple[str, ...], ...] = tuple(tuple(r) for r in rows)

    def set_rows(self, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """Replace everything the model holds."""
        self.beginResetModel()
        self._headers = tuple(headers)
        self._rows = tuple(tuple(r) for r in rows)
        self.endResetModel()

    @property
    def headers(self) -> tuple[str, ...]:
        return self._headers

    @property
    def rows(self) -> tuple[tuple[str, ...], ...]:
        return self._rows

    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if index.column() >= len(row):
            return None
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return row[index.column()]
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802 (Qt API)
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return str(section + 1)


def text_table(name: str, parent: QWidget | None = None) -> tuple[QTableView, TextTableModel]:
    """Return a keyboard-navigable, read-only table view and its model, named for screen readers."""
    view = QTableView(parent)
    model = TextTableModel(parent=view)
    view.setModel(model)
    view.setAccessibleName(name)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move within it
    view.setWordWrap(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    return view, model
