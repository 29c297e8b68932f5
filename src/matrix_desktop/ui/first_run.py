"""The first run on an empty database: set up your own system in one form, or import its list."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from matrix_desktop.core.errors import MatrixError
from matrix_desktop.core.framework import EntityKind
from matrix_desktop.ui.context import AppContext
from matrix_desktop.ui.keyboard import name_by_labels
from matrix_desktop.ui.setup_actions import apply_setup, import_entity_list

HINT = "One a line; members after a colon, separated by ';'\ne.g. {}"


def parse_entities(text: str, kind: EntityKind) -> list[tuple[str, EntityKind, list[str]]]:
    """Return (name, kind, members) from lines 'Name' or 'Name: member; member'."""
    out = []
    for line in text.splitlines():
        name, _sep, rest = line.partition(":")
        if name.strip():
            out.append((name.strip(), kind, [m.strip() for m in rest.split(";") if m.strip()]))
    return out


class FirstRunDialog(QDialog):
    """Your system's name, its places and collaboratives with members, and a first round."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        assert ctx.services is not None
        self.ctx = ctx
        self.services = ctx.services
        self.setWindowTitle("Set up your system")
        self.setAccessibleName("Set up your system")
        self.done_edits: list = []
        self.system = QLineEdit()
        self.system.setPlaceholderText("e.g. South Yorkshire Integrated Care System")
        self.short_name = QLineEdit()
        self.short_name.setPlaceholderText("optional, e.g. SY ICS")
        self.places = QPlainTextEdit()
        self.collaboratives = QPlainTextEdit()
        for box, example in (
            (self.places, "Barnsley Place: Council; Hospital"),
            (self.collaboratives, "Acute Federation: Hospital; Community Trust"),
        ):
            box.setTabChangesFocus(True)  # Tab moves on, as in every other field
            box.setPlaceholderText(HINT.format(example))
        self.round = QLineEdit()
        self.round.setPlaceholderText("e.g. 2026/27 Q1")
        form = QFormLayout()
        for text, w in (
            ("System &name", self.system),
            ("S&hort name", self.short_name),
            ("&Places", self.places),
            ("&Collaboratives", self.collaboratives),
            ("First &round", self.round),
        ):
            label = QLabel(text)
            label.setBuddy(w)
            form.addRow(label, w)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Problem")
        self.error.setStyleSheet("color: #8a3b00; font-weight: bold;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Set up")
        self.ok_button.setAccessibleName("Set up the system")
        self.import_button = QPushButton("&Import a list instead…")
        self.import_button.setAccessibleName("Import the list of entities from CSV or XLSX")
        self.import_button.setAutoDefault(False)
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        intro = QLabel(
            "Name your integrated care system, list its place partnerships and provider "
            "collaboratives, and name the first round. Everything can be changed later "
            "in File ▸ Manage systems and rounds."
        )
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(640, 560)
        name_by_labels(self)

    def accept(self) -> None:
        entities = parse_entities(self.places.toPlainText(), EntityKind.PLACE_PARTNERSHIP)
        entities += parse_entities(
            self.collaboratives.toPlainText(), EntityKind.PROVIDER_COLLABORATIVE
        )
        if not entities:
            self.error.setText("List at least one place partnership or provider collaborative.")
            self.places.setFocus()
            return
        try:
            self.done_edits = apply_setup(
                self.ctx,
                lambda: self.services.setup.first_setup(
                    self.system.text(), self.short_name.text(), entities, self.round.text()
                ),
                "set up your system",
            )
        except MatrixError as exc:  # nothing was added; everything typed stays
            self.error.setText(str(exc))
            return
        super().accept()

    def _on_import_button_clicked(self) -> None:
        if import_entity_list(self.ctx, self, self.error.setText):
            super().accept()


def set_up_system(ctx: AppContext, parent: QWidget | None = None) -> bool:
    """Show the first-run form; True when something was set up."""
    if ctx.services is None:
        return False
    dialog = FirstRunDialog(ctx, parent)
    try:
        return bool(dialog.exec())
    finally:
        dialog.deleteLater()
