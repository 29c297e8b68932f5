"""The room's views tab: the votes grid, each domain's spread, the agreed stage and rationale."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from matrix_desktop.core.framework import Framework
from matrix_desktop.ui.combos import item_value, select_value
from matrix_desktop.ui.keyboard import name_by_labels
from matrix_desktop.ui.workshop.votes import SpreadModel, VoteSink, VotesModel, VotesTable
from matrix_desktop.ui.workshop.widgets import CommittingTextEdit, WrappingLabel


class RoomViews(QWidget):
    """Enter each participant's stage by keyboard; see the spread; record what was agreed."""

    agreed_chosen = Signal(object)  # stage key or None
    rationale_committed = Signal(str)
    domain_selected = Signal(str)

    def __init__(self, framework: Framework, sink: VoteSink, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("The room's views")
        stages = [(s.key, s.name) for s in framework.stages]
        self.votes = VotesModel(stages, sink, self)
        self.grid = VotesTable(self.votes, self)
        self.spread = SpreadModel([s.name for s in framework.stages], self)
        self.spread_table = QTableView(self)
        self.spread_table.setModel(self.spread)
        self.spread_table.setAccessibleName("Spread of views and agreed stage per domain")
        self.spread_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.spread_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.spread_table.setTabKeyNavigation(False)
        self.spread_table.setWordWrap(False)
        header = self.spread_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        self.domain_label = WrappingLabel("")
        self.domain_label.setStyleSheet("font-weight: bold;")
        self.summary = WrappingLabel("")
        self.summary.setAccessibleName("Views of this domain")
        self.agreed = QComboBox(self)
        self.agreed.setAccessibleName("Agreed stage")
        self.agreed.addItem("Not yet assessed", None)
        for s in framework.stages:
            self.agreed.addItem(f"{s.position}  {s.name}", s.key)
        self.rationale = CommittingTextEdit(
            "Rationale for the agreed stage", self.rationale_committed.emit
        )
        self.rationale.setMaximumHeight(90)
        agreed_label = QLabel("A&greed stage")
        agreed_label.setBuddy(self.agreed)
        rationale_label = QLabel("Rationale (why the room agreed this stage)")
        rationale_label.setBuddy(self.rationale)
        row = QHBoxLayout()
        row.addWidget(agreed_label)
        row.addWidget(self.agreed, 1)

        help_text = QLabel(
            "Select a cell and type 1-4 for that person's view (0 or Delete clears it); "
            "the cursor moves to the next person."
        )
        help_text.setWordWrap(True)
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        grid_label = QLabel("Participan&ts' views")
        grid_label.setBuddy(self.grid)
        top_layout.addWidget(grid_label)
        top_layout.addWidget(help_text)
        top_layout.addWidget(self.grid, 1)
        agreed_box = QWidget(self)
        agreed_layout = QVBoxLayout(agreed_box)
        agreed_layout.setContentsMargins(0, 0, 0, 0)
        agreed_layout.addWidget(self.domain_label)
        agreed_layout.addWidget(self.summary)
        agreed_layout.addLayout(row)
        agreed_layout.addWidget(rationale_label)
        agreed_layout.addWidget(self.rationale)
        top_layout.addWidget(agreed_box)
        bottom = QWidget(self)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        spread_label = QLabel("&Spread of views by domain")
        spread_label.setBuddy(self.spread_table)
        bottom_layout.addWidget(spread_label)
        bottom_layout.addWidget(self.spread_table, 1)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

        name_by_labels(self)
        self.agreed.activated.connect(self._on_agreed_activated)
        self.grid.selectionModel().currentChanged.connect(self._on_grid_currentChanged)

    def show_domain(
        self, column: int, title: str, summary: str, agreed: str | None, rationale: str
    ) -> None:
        """Show the agreed stage and rationale of the current domain; select its column."""
        self.domain_label.setText(title)
        self.summary.setText(summary)
        select_value(self.agreed, agreed)
        self.rationale.show_text(rationale, keep_typing=True)  # see RatingDetails
        current = self.grid.currentIndex()
        if column >= 0 and (not current.isValid() or current.column() != column):
            row = current.row() if current.isValid() else 0
            self.grid.blockSignals(True)
            self.grid.setCurrentIndex(self.votes.index(row, column))
            self.grid.blockSignals(False)

    def set_editable(self, editable: bool) -> None:
        self.votes.editable = editable
        self.agreed.setEnabled(editable)
        self.rationale.setReadOnly(not editable)

    def _on_agreed_activated(self, index: int) -> None:
        self.agreed_chosen.emit(item_value(self.agreed, index, str))

    def _on_grid_currentChanged(self, current, _previous) -> None:
        if current.isValid() and current.column() < len(self.votes.columns):
            self.domain_selected.emit(self.votes.columns[current.column()].key)
