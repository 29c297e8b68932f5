"""Start an assessment: entity, framework version, round, date, facilitator, who is in the room."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from matrix_desktop.core.errors import AlreadyExists, MatrixError
from matrix_desktop.core.model import Assessment, AssessmentKind
from matrix_desktop.core.names import name_key
from matrix_desktop.ui.combos import combo_value, select_value
from matrix_desktop.ui.context import AppContext
from matrix_desktop.ui.interaction import interaction
from matrix_desktop.ui.keyboard import DateField, EntryItem, EntryTable, name_by_labels

OPEN_EXISTING = "Open the existing one"


class NewAssessmentDialog(QDialog):
    """Everything needed to start a workshop; exec() then read `assessment_id`."""

    def __init__(
        self, ctx: AppContext, entity_id: str | None = None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        assert ctx.services is not None, "no database is open"
        self.ctx = ctx
        self.services = ctx.services
        self.assessment_id: str | None = None
        self.setWindowTitle("New assessment")
        self.setAccessibleName("New assessment")
        self.entity = QComboBox(self)
        self.entity.setAccessibleName("Place partnership or collaborative")
        access = self.services.db.access  # on a server: only the places this role may assess
        entities = [e for e in self.services.catalog.entities() if not e.archived]
        for e in sorted(entities, key=lambda e: e.name.casefold()):
            if access is None or access.may_create(e.id, AssessmentKind.SELF_ASSESSMENT):
                self.entity.addItem(f"{e.name} ({e.kind.label})", e.id)
        if entity_id is not None:
            select_value(self.entity, entity_id)
        self.framework = QComboBox(self)
        self.framework.setAccessibleName("Framework and version")
        self.round = QComboBox(self)
        self.round.setEditable(True)
        self.round.setAccessibleName("Round: choose one or type a new name")
        self.round.lineEdit().setPlaceholderText("e.g. 2021/22 Q2")
        self.round.lineEdit().setAccessibleName("Round")  # the text typed into the box
        self._rounds = {
            r.name: r.sequence for r in self.services.catalog.rounds() if not r.archived
        }
        for name in sorted(self._rounds, key=self._rounds.__getitem__, reverse=True):
            self.round.addItem(name)
        self.date = DateField(QDate.currentDate(), self)  # one Tab leaves it
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setAccessibleName("Date of the workshop")
        self.facilitator = QLineEdit(self)
        self.facilitator.setAccessibleName("Facilitator")
        self.people = EntryTable(0, 2, self)
        self.people.setAccessibleName("Participants: name and organisation")
        self.people.setHorizontalHeaderLabels(["Name (blank: Partner N)", "Organisation"])
        self.people.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.add_person = QPushButton("&Add participant (Ctrl+Return)", self)
        self.add_person.setAccessibleName("Add participant")
        self.remove_person = QPushButton("Re&move participant", self)
        self.remove_person.setAccessibleName("Remove the chosen participant")
        self.carry = QCheckBox(self)
        self.carry.setAccessibleName("Copy the previous round's ratings as a starting point")
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #8a3b00; font-weight: bold;")
        self.duplicate = QLabel(self)  # the round is already assessed against this framework
        self.duplicate.setWordWrap(True)
        self.duplicate.setAccessibleName("Already assessed")
        self.duplicate.setStyleSheet("color: #8a3b00;")
        self.duplicate.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Start assessment")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setAccessibleName("Start assessment")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(
            "Cancel: start nothing"
        )

        form = QFormLayout()
        for text, w in (
            ("&Partnership", self.entity),
            ("F&ramework", self.framework),
            ("R&ound", self.round),
            ("&Date", self.date),
            ("&Facilitator", self.facilitator),
        ):
            label = QLabel(text)
            label.setBuddy(w)
            form.addRow(label, w)
        people_label = QLabel("Par&ticipants")
        people_label.setBuddy(self.people)
        row = QHBoxLayout()
        row.addWidget(self.add_person)
        row.addWidget(self.remove_person)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(people_label)
        layout.addWidget(self.people, 1)
        layout.addLayout(row)
        layout.addWidget(self.carry)
        layout.addWidget(self.duplicate)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(620, 560)
        name_by_labels(self)

        self.entity.currentIndexChanged.connect(self._on_entity_currentIndexChanged)
        self.round.currentTextChanged.connect(self._on_round_currentTextChanged)
        self.framework.currentIndexChanged.connect(self._show_duplicate)
        self.add_person.clicked.connect(self.add_participant)
        self.remove_person.clicked.connect(self._on_remove_person_clicked)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.add_participant)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self._on_entity_currentIndexChanged()
        if self.entity.count() == 0:
            self.error.setText(
                "There is no place partnership or collaborative in this database "
                "yet: set up your system (File ▸ Set up your system) or import an exchange "
                "file first."
            )

    # -- choices -------------------------------------------------------------------------
    def _on_entity_currentIndexChanged(self, *_args: object) -> None:
        self.framework.clear()
        entity_id = combo_value(self.entity, str)
        if entity_id is None:
            return
        kind = self.services.catalog.entity(entity_id).kind
        fws = sorted(
            (f for f in self.services.catalog.frameworks() if kind in f.applies_to),
            key=lambda f: (f.name, f.published, f.version),
            reverse=True,
        )
        for f in fws:
            self.framework.addItem(f.title, (f.key, f.version))
        self._on_round_currentTextChanged(self.round.currentText())

    def previous_assessment(self) -> Assessment | None:
        """The entity's latest self-assessment in a round before the chosen one."""
        entity_id = combo_value(self.entity, str)
        if entity_id is None:
            return None
        name = self.round.currentText().strip()
        mine = self._rounds.get(name, max(self._rounds.values(), default=0) + 1)
        by_id = {r.id: r.sequence for r in self.services.catalog.rounds()}
        earlier = [
            a
            for a in self.services.assessments.assessments(entity_id)
            if a.kind is AssessmentKind.SELF_ASSESSMENT and by_id.get(a.round_id, 0) < mine
        ]
        return max(earlier, key=lambda a: by_id.get(a.round_id, 0), default=None)

    def _on_round_currentTextChanged(self, _text: str) -> None:
        prev = self.previous_assessment()
        self.carry.setVisible(prev is not None)
        if prev is not None:
            self.carry.setText(
                f"&Copy the ratings of {prev.title} as a starting point (marked carried forward)"
            )
        self._show_duplicate()

    def existing_assessments(self) -> list[Assessment]:
        """The entity's self-assessments already in the chosen round against the chosen
        framework (any version), the one to offer first: final, then most scored, then newest.
        """
        entity_id = combo_value(self.entity, str)
        choice = combo_value(self.framework, tuple)
        name = name_key(self.round.currentText())
        if entity_id is None or choice is None or not name:
            return []
        rnd = next((r for r in self.services.catalog.rounds() if name_key(r.name) == name), None)
        if rnd is None:
            return []
        found = [
            a
            for a in self.services.assessments.assessments(entity_id, rnd.id)
            if a.kind is AssessmentKind.SELF_ASSESSMENT and a.framework_key == choice[0]
        ]
        scored = {a.id: self._scored(a) for a in found}
        return sorted(found, key=lambda a: (a.is_final, scored[a.id], a.modified_at), reverse=True)

    def _scored(self, assessment: Assessment) -> int:
        record = self.services.assessments.record(assessment.id)
        return sum(1 for r in record.ratings if r.stage is not None)

    def _describe(self, a: Assessment) -> str:
        entity = self.services.catalog.entity(a.entity_id)
        fw = self.services.assessments.framework_of(a)
        applicable = len(fw.domains_for(entity.kind))
        return (
            f"“{a.title}” ({a.status.value}, {self._scored(a)} of {applicable} domains scored, "
            f"last changed {a.modified_at[:16].replace('T', ' ')})"
        )

    def _show_duplicate(self, *_args: object) -> None:
        found = self.existing_assessments()
        if found:
            entity = self.services.catalog.entity(found[0].entity_id)
            self.duplicate.setText(
                f"{entity.name} already has a self-assessment in this round against this "
                f"framework: {self._describe(found[0])}. Starting will offer to open it."
            )
        self.duplicate.setVisible(bool(found))

    def add_participant(self) -> None:
        row = self.people.rowCount()
        self.people.insertRow(row)
        self.people.setItem(row, 0, EntryItem(f"Partner {row + 1}"))
        self.people.setItem(row, 1, EntryItem(""))
        self.people.setCurrentCell(row, 0)
        self.people.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_remove_person_clicked(self) -> None:
        if self.people.currentRow() >= 0:
            self.people.removeRow(self.people.currentRow())

    def participants(self) -> list[tuple[str, str]]:
        out = []
        for r in range(self.people.rowCount()):
            cells = [self.people.item(r, c) for c in (0, 1)]
            out.append(tuple(c.text().strip() if c else "" for c in cells))
        return out  # type: ignore[return-value]

    # -- starting ------------------------------------------------------------------------
    def _offer_existing(self, message: str, existing_id: str) -> bool:
        """Offer to open the self-assessment already made; True when the user opens it."""
        if interaction.choose(self, "Already assessed", message, [OPEN_EXISTING]) != OPEN_EXISTING:
            return False
        self.assessment_id = existing_id
        super().accept()
        return True

    def accept(self) -> None:
        entity_id = combo_value(self.entity, str)
        choice = combo_value(self.framework, tuple)
        if entity_id is None or choice is None:
            self.error.setText("Choose a partnership and a framework that applies to it.")
            return
        existing = self.existing_assessments()
        if existing:
            entity = self.services.catalog.entity(entity_id)
            others = f" (and {len(existing) - 1} more)" if len(existing) > 1 else ""
            message = (
                f"{entity.name} already has a self-assessment of "
                f"{self.round.currentText().strip()} against {self.framework.currentText()}: "
                f"{self._describe(existing[0])}{others}.\n\n"
                "A round has one self-assessment per framework: open it and carry on there, "
                "or cancel and choose another round."
            )
            # Opened, or cancelled: then the dialog stays, with everything typed.
            self._offer_existing(message, existing[0].id)
            return
        prev = self.previous_assessment()
        try:
            fw = self.services.catalog.framework(*choice)
            created = self.services.assessments.create(
                entity_id,
                fw,
                self.round.currentText().strip(),
                facilitator=self.facilitator.text(),
                participants=self.participants(),
                assessed_on=self.date.date().toString("yyyy-MM-dd"),
                carry_forward_from=prev.id if prev is not None and self.carry.isChecked() else None,
            )
        except AlreadyExists as exc:  # another copy started it a moment ago
            if exc.what == "assessment":
                self._offer_existing(str(exc), exc.existing_id)
            else:
                self.error.setText(str(exc))
            return
        except MatrixError as exc:
            self.error.setText(str(exc))
            return
        except Exception as exc:  # disk full, I/O: say so, keep the dialog and its entries
            interaction.error(self, "Not created", f"The assessment could not be saved: {exc}")
            return
        self.assessment_id = created.id
        super().accept()


def start_assessment(
    ctx: AppContext, parent: QWidget | None = None, entity_id: str | None = None
) -> str | None:
    """Ask for a new assessment's details; return its id, or None if cancelled."""
    dialog = NewAssessmentDialog(ctx, entity_id, parent)
    dialog.exec()
    return dialog.assessment_id
