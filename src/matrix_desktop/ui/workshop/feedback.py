"""Feedback on the matrix from the workshop: the dialog that records a request for clarity or
a suggested rewording of the selected statement (or the domain), and the domain page's list."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from matrix_desktop.core.feedback import Feedback, FeedbackKind, counts_by_place, describe_counts
from matrix_desktop.core.framework import Domain, Framework
from matrix_desktop.ui.combos import add_items, combo_value

# Records the feedback: (statement id or None, kind, text, wording) -> a problem, or None if
# it was saved (the dialog then closes; on a problem it stays open with everything typed).
Record = Callable[[str | None, FeedbackKind, str, str], str | None]
SHORTCUT = "Ctrl+Shift+K"


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class FeedbackDialog(QDialog):
    """Ask for the kind, the text and (for a rewording) the suggested wording."""

    def __init__(
        self,
        framework: Framework,
        domain: Domain,
        statement_id: str | None,
        record: Record,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._record = record
        self.setWindowTitle("Feedback on the matrix")
        self.setAccessibleName("Feedback on the matrix")
        self.resize(640, 420)
        stages = {s.key: s.name for s in framework.stages}
        self.about = QComboBox(accessibleName="About")
        add_items(
            self.about,
            [(f"{domain.number}. {domain.title} as a whole", None)]
            + [
                (f"{stages.get(s.stage_key, s.stage_key)}: {_short(s.text)}", s.id)
                for s in domain.statements
            ],
        )
        if statement_id is not None:
            self.about.setCurrentIndex(max(self.about.findData(statement_id), 0))
        self.kind = QComboBox(accessibleName="Kind of feedback")
        add_items(self.kind, [(k.label, k) for k in FeedbackKind])
        self.text = QPlainTextEdit(accessibleName="Feedback")
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText("What is unclear, or why it should be reworded")
        self.wording = QPlainTextEdit(accessibleName="Suggested wording")
        self.wording.setTabChangesFocus(True)
        self.wording.setPlaceholderText("The wording the room suggests (for a rewording)")
        self.message = QLabel("", accessibleName="Feedback message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #8a3b00; font-weight: bold;")
        form = QFormLayout()
        for text, box in (
            ("Ab&out", self.about),
            ("&Kind", self.kind),
            ("&Feedback", self.text),
            ("Suggested &wording", self.wording),
        ):
            caption = QLabel(text)
            caption.setBuddy(box)
            form.addRow(caption, box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.record_button = buttons.addButton(
            "&Record feedback", QDialogButtonBox.ButtonRole.AcceptRole
        )
        for button in buttons.buttons():
            button.setAccessibleName(button.text().replace("&", ""))
        buttons.accepted.connect(self._on_record_button_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self._on_kind_changed()
        self.text.setFocus()

    def _on_kind_changed(self, *_args: object) -> None:
        self.wording.setEnabled(combo_value(self.kind, FeedbackKind) is FeedbackKind.REWORDING)

    def _on_record_button_clicked(self) -> None:
        kind = combo_value(self.kind, FeedbackKind) or FeedbackKind.CLARITY
        problem = self._record(
            combo_value(self.about, str),
            kind,
            self.text.toPlainText(),
            self.wording.toPlainText() if kind is FeedbackKind.REWORDING else "",
        )
        if problem:
            self.message.setText(problem)  # everything typed stays, to be put right
            return
        self.accept()


def feedback_summary(domain: Domain, feedback: Sequence[Feedback]) -> str:
    """Return what the domain page says of the feedback recorded on it in this assessment."""
    here = [f for f in feedback if f.domain_key == domain.key and f.kind is not None]
    if not here:
        return f"No feedback on the matrix recorded here yet ({SHORTCUT} to record some)."
    texts = {s.id: s.text for s in domain.statements}
    lines = [f"Feedback on the matrix recorded here: {len(here)}"]
    for (_key, statement), counts in counts_by_place(here).items():
        where = f"“{_short(texts.get(statement, statement), 60)}”" if statement else "the domain"
        lines.append(f"• {where}: {describe_counts(counts)}")
    return "\n".join(lines)
