"""The import preview: what each file would add, update or leave, before anything changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from matrix_desktop.exchange.merge import Resolution
from matrix_desktop.ui.combos import add_items, combo_value

if TYPE_CHECKING:
    from matrix_desktop.exchange.merge import ImportPlan


class ImportDialog(QDialog):
    """Shows an ImportPlan per assessment; each conflict gets its own choice (keep mine first)."""

    def __init__(self, plan: ImportPlan, parent: QWidget | None = None):
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle("Import assessments")
        self.setAccessibleName("Import preview")
        text = f"Importing will change: {plan.summary()}."
        if plan.conflicts:
            text += (
                " Some assessments were changed both here and in the file: choose for each "
                "whether to keep yours, take theirs, or keep both as separate copies."
            )
        summary = QLabel(text + " Nothing changes until you press Import.")
        summary.setWordWrap(True)
        self.table = QTableWidget(len(plan.items), 4)
        self.table.setAccessibleName("Assessments in the files")
        self.table.setTabKeyNavigation(False)  # Tab leaves for the decisions and the buttons
        self.table.setHorizontalHeaderLabels(["Assessment", "Outcome", "Decision", "File"])
        self._choices: dict[str, QComboBox] = {}
        for row, item in enumerate(plan.items):
            cells = [item.label, item.outcome.value, "", item.source.rsplit("/", 1)[-1]]
            for col, value in enumerate(cells):
                cell = QTableWidgetItem(value)
                cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, col, cell)
            if item.choices:
                combo = QComboBox()
                combo.setAccessibleName(f"Decision for {item.label}")
                add_items(combo, [(choice.label, choice) for choice in item.choices])
                self.table.setCellWidget(row, 2, combo)
                self._choices[item.assessment_id] = combo
        self.table.resizeColumnsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setAccessibleName("Import")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(
            "Cancel: import nothing"
        )
        self.import_button.setEnabled(plan.has_changes)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(860, 440)

    def decisions(self) -> dict[str, Resolution | None]:
        """Return the choice made for each conflict (assessment id -> Resolution)."""
        return {aid: combo_value(combo, Resolution) for aid, combo in self._choices.items()}
