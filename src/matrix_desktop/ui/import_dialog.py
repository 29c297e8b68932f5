"""The import preview: what each file would add, update, merge or leave, before anything changes.

Assessments changed on both sides merge field by field; a field changed differently here and
in the file gets its own choice (keep mine = this database's value, take theirs = the
file's), and the choices can be made for every field at once. An assessment without a shared
base (shared before field-level merging) is decided whole: keep mine, take theirs or keep
both. Every choice is a combo box in the tab order, named for screen readers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from matrix_desktop.core.commands import short
from matrix_desktop.services.exchange import (
    ConflictingField,
    FieldChoice,
    FieldKey,
    Outcome,
    Resolution,
)
from matrix_desktop.ui.combos import add_items, combo_value, select_value

if TYPE_CHECKING:
    from matrix_desktop.services.exchange import ImportPlan, PlannedAssessment

BY_FIELD = "by_field"  # an assessment's combo: each field decided on its own
_WHOLE_LABELS = {
    Resolution.KEEP_MINE: "keep mine for every field",
    Resolution.TAKE_THEIRS: "take theirs for every field",
    Resolution.KEEP_BOTH: "keep both as separate copies",
}
_FIELD_LABELS = {
    FieldChoice.MINE: "keep mine (this database)",
    FieldChoice.THEIRS: "take theirs (the file)",
}


class ImportDialog(QDialog):
    """Shows an ImportPlan per assessment and per conflicting field; every choice starts at
    keep mine."""

    def __init__(self, plan: ImportPlan, parent: QWidget | None = None):
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle("Import assessments")
        self.setAccessibleName("Import preview")
        summary = QLabel(self._summary_text())
        summary.setWordWrap(True)
        self.table = QTableWidget(len(plan.items), 5)
        self.table.setAccessibleName("Assessments in the files")
        self.table.setTabKeyNavigation(False)  # Tab leaves for the decisions and the buttons
        self.table.setHorizontalHeaderLabels(["Assessment", "Outcome", "Decision", "File", "Why"])
        self._choices: dict[str, QComboBox] = {}
        self._field_choices: dict[FieldKey, QComboBox] = {}
        for row, item in enumerate(plan.items):
            cells = [
                item.label,
                item.outcome.value,
                "",
                item.source.replace("\\", "/").rsplit("/", 1)[-1],
                item.reason,
            ]
            for col, value in enumerate(cells):
                cell = QTableWidgetItem(value)
                cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                cell.setToolTip(value)
                self.table.setItem(row, col, cell)
            if item.choices:
                self.table.setCellWidget(row, 2, self._whole_combo(item))
        self.table.resizeColumnsToContents()
        self.table.setWordWrap(True)
        self.table.setColumnWidth(4, 340)  # the reason, wrapped (and in full as a tooltip)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.resizeRowsToContents()
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table)
        if plan.field_conflicts:
            layout.addWidget(self._fields_panel(), 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setAccessibleName("Import")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(
            "Cancel: import nothing"
        )
        self.import_button.setEnabled(plan.has_changes)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(980, 640 if plan.field_conflicts else 440)

    def _summary_text(self) -> str:
        plan = self.plan
        text = f"Importing will change: {plan.summary()}."
        if plan.count(Outcome.MERGED):
            text += (
                " Assessments changed both here and in the file are merged field by field: "
                "a change on one side is taken, the same change on both counts once."
            )
        if plan.field_conflicts:
            text += (
                " Some fields were changed differently here and in the file: for each, keep "
                "mine (this database) or take theirs (the file), or choose for every field "
                "at once."
            )
        if any(i.choices and not i.field_level for i in plan.items):
            text += (
                " Some assessments have no shared base to merge from: choose for each "
                "whether to keep yours, take theirs, or keep both as separate copies."
            )
        return text + " Nothing changes until you press Import."

    def _whole_combo(self, item: PlannedAssessment) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(f"Decision for {item.label}")
        if item.field_level:
            options = [("choose field by field", BY_FIELD)]
            add_items(combo, options + [(_WHOLE_LABELS[c], c) for c in item.choices])
            combo.currentIndexChanged.connect(
                lambda _i, aid=item.assessment_id: self._whole_changed(aid)
            )
        else:
            add_items(combo, [(choice.label, choice) for choice in item.choices])
        self._choices[item.assessment_id] = combo
        return combo

    def _fields_panel(self) -> QWidget:
        panel = QWidget()
        outer = QVBoxLayout(panel)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(QLabel("Fields changed differently here and in the file:"))
        all_row = QHBoxLayout()
        self.all_mine = QPushButton("Keep mine for every field")
        self.all_mine.setAccessibleName("Keep mine (this database) for every conflicting field")
        self.all_theirs = QPushButton("Take theirs for every field")
        self.all_theirs.setAccessibleName("Take theirs (the file) for every conflicting field")
        self.all_mine.clicked.connect(lambda: self.choose_all(FieldChoice.MINE))
        self.all_theirs.clicked.connect(lambda: self.choose_all(FieldChoice.THEIRS))
        all_row.addWidget(self.all_mine)
        all_row.addWidget(self.all_theirs)
        all_row.addStretch(1)
        outer.addLayout(all_row)
        body = QWidget()
        grid = QGridLayout(body)
        headers = ["Field", "Last shared", "Mine (this database)", "Theirs (the file)", "Decision"]
        for col, text in enumerate(headers):
            head = QLabel(f"<b>{text}</b>")
            grid.addWidget(head, 0, col)
        row = 1
        for item in self.plan.items:
            if not item.field_conflicts:
                continue
            title = QLabel(f"<b>{item.label}</b>")
            title.setTextFormat(Qt.TextFormat.RichText)
            grid.addWidget(title, row, 0, 1, len(headers))
            row += 1
            for c in item.field_conflicts:
                self._field_row(grid, row, item, c)
                row += 1
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        grid.setColumnStretch(3, 1)
        grid.setRowStretch(row, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.StyledPanel)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        return panel

    def _field_row(
        self, grid: QGridLayout, row: int, item: PlannedAssessment, c: ConflictingField
    ) -> None:
        name = QLabel(c.label)
        name.setWordWrap(True)
        grid.addWidget(name, row, 0)
        for col, value in enumerate((c.base, c.mine, c.theirs), start=1):
            cell = QLabel(short(value, 160))
            cell.setWordWrap(True)
            cell.setToolTip(short(value, 2000))
            cell.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(cell, row, col)
        combo = QComboBox()
        combo.setAccessibleName(f"Decision for {c.label} in {item.label}")
        combo.setAccessibleDescription(
            f"Last shared: {short(c.base)}. Mine: {short(c.mine)}. Theirs: {short(c.theirs)}."
        )
        add_items(combo, [(label, choice) for choice, label in _FIELD_LABELS.items()])
        name.setBuddy(combo)
        grid.addWidget(combo, row, 4)
        self._field_choices[c.key] = combo

    def _whole_changed(self, assessment_id: str) -> None:
        by_field = self._choices[assessment_id].currentData() == BY_FIELD
        for key, combo in self._field_choices.items():
            if key.assessment_id == assessment_id:
                combo.setEnabled(by_field)

    def choose_all(self, choice: FieldChoice) -> None:
        """Make the same choice for every conflicting field (each one stays changeable)."""
        for combo in self._choices.values():
            if combo.findData(BY_FIELD) >= 0:
                select_value(combo, BY_FIELD)  # re-enables its fields (currentIndexChanged)
        for combo in self._field_choices.values():
            select_value(combo, choice)

    def decisions(self) -> dict[str | FieldKey, Resolution | FieldChoice]:
        """Return the choices made: assessment id -> Resolution for a whole-assessment choice,
        FieldKey -> FieldChoice for each field decided on its own."""
        out: dict[str | FieldKey, Resolution | FieldChoice] = {}
        for aid, combo in self._choices.items():
            if combo.currentData() != BY_FIELD:
                whole = combo_value(combo, Resolution)
                if whole is not None:
                    out[aid] = whole
        for key, combo in self._field_choices.items():
            field = combo_value(combo, FieldChoice)
            if key.assessment_id not in out and field is not None:
                out[key] = field
        return out
