"""Qt item models over plain values: the navigator tree and an entity's assessments."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class NavNode:
    """One row of the navigator: a system (entity_id None) or an entity."""

    label: str
    system_id: str
    entity_id: str | None = None
    detail: str = ""


class NavigatorModel(QAbstractItemModel):
    """Systems with their entities beneath, as a two-level tree of plain values."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._systems: list[NavNode] = []
        self._children: dict[int, list[NavNode]] = {}

    def set_data(self, systems: list[tuple[NavNode, list[NavNode]]]) -> None:
        self.beginResetModel()
        self._systems = [s for s, _ in systems]
        self._children = {i: kids for i, (_, kids) in enumerate(systems)}
        self.endResetModel()

    def node(self, index: Index) -> NavNode | None:
        if not index.isValid():
            return None
        parent_row = index.internalId()
        if parent_row == 0:
            return self._systems[index.row()]
        return self._children[parent_row - 1][index.row()]

    def index_of_entity(self, entity_id: str) -> QModelIndex:
        for s, kids in self._children.items():
            for r, kid in enumerate(kids):
                if kid.entity_id == entity_id:
                    return self.index(r, 0, self.index(s, 0))
        return QModelIndex()

    # Qt model interface: internalId 0 marks a system row; n+1 an entity row of system n.
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, 0) if row < len(self._systems) else QModelIndex()
        if parent.internalId() != 0:
            return QModelIndex()
        kids = self._children.get(parent.row(), [])
        return self.createIndex(row, 0, parent.row() + 1) if row < len(kids) else QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._systems)
        if parent.internalId() == 0:
            return len(self._children.get(parent.row(), []))
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        node = self.node(index)
        if node is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return node.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return node.detail or node.label
        return None


@dataclass(frozen=True)
class AssessmentRow:
    """One assessment as the entity page lists it."""

    assessment_id: str
    round_name: str
    kind: str
    status: str
    framework: str
    stages_set: str
    modified: str


class AssessmentTableModel(QAbstractTableModel):
    """An entity's assessments as a table of plain values."""

    HEADERS = ("Round", "Kind", "Status", "Framework", "Domains scored", "Last changed")

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[AssessmentRow] = []

    def set_rows(self, rows: list[AssessmentRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> AssessmentRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        r = self._rows[index.row()]
        return (r.round_name, r.kind, r.status, r.framework, r.stages_set, r.modified)[
            index.column()
        ]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None
