"""The stages of one domain side by side, as on the published matrix, with statements to tick."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from matrix_desktop.core.framework import Domain, Framework, Stage
from matrix_desktop.ui.workshop.widgets import StatementRow, WrappingLabel

AGREED_COLOUR = "#0072B2"  # Okabe-Ito blue, as the radar's own series
STYLE = f"""
QFrame#stageCard {{ border: 1px solid #9a9a9a; border-radius: 6px; background: palette(base); }}
QFrame#stageCard[agreed="true"] {{ border: 4px solid {AGREED_COLOUR}; background: #e6f0f8; }}
QPushButton#stageHeader {{ text-align: left; font-weight: bold; padding: 6px; }}
QLabel#badge {{ font-weight: bold; padding: 2px 6px; border-radius: 3px; }}
QLabel#badge[kind="agreed"] {{ background: {AGREED_COLOUR}; color: white; }}
QLabel#badge[kind="suggested"] {{ border: 1px dashed #444; color: #222; }}
"""


class StageCard(QFrame):
    """One stage of one domain: a header to choose it, its statements, its badges."""

    def __init__(self, stage: Stage, statements: tuple, no_descriptor: str, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("stageCard")
        self.stage = stage
        self.header = QPushButton(f"{stage.position}  {stage.name}", self)
        self.header.setObjectName("stageHeader")
        self.header.setAccessibleName(f"Choose {stage.name} (key {stage.position})")
        self.header.setCheckable(True)
        self.agreed_badge = QLabel("AGREED", self)
        self.agreed_badge.setObjectName("badge")
        self.agreed_badge.setProperty("kind", "agreed")
        self.suggested_badge = QLabel("SUGGESTED", self)
        self.suggested_badge.setObjectName("badge")
        self.suggested_badge.setProperty("kind", "suggested")
        self.suggested_badge.setToolTip("The statements ticked support this stage")
        # One above the other: side by side they set a card's minimum width, and four cards
        # must fit beside the domain list and the radar on a 1366 px screen.
        badges = QVBoxLayout()
        badges.setContentsMargins(0, 0, 0, 0)
        badges.setSpacing(2)
        for badge in (self.agreed_badge, self.suggested_badge):
            badges.addWidget(badge, 0, Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.header)
        layout.addLayout(badges)
        self.rows: list[StatementRow] = []
        for st in statements:
            row = StatementRow(st.id, st.text, self)
            self.rows.append(row)
            layout.addWidget(row)
        if not statements:
            note = WrappingLabel(no_descriptor, self)
            note.setAccessibleName(f"{stage.name}: no published descriptor")
            note.setStyleSheet("font-style: italic; color: #444;")
            layout.addWidget(note)
        layout.addStretch(1)
        self.set_marks(agreed=False, suggested=False)

    def set_marks(self, *, agreed: bool, suggested: bool) -> None:
        self.setProperty("agreed", agreed)
        self.header.setChecked(agreed)
        self.agreed_badge.setVisible(agreed)
        self.suggested_badge.setVisible(suggested)
        self.setAccessibleName(
            f"Stage {self.stage.name}"
            + (", agreed" if agreed else "")
            + (", suggested by the statements ticked" if suggested else "")
        )
        self.style().unpolish(self)
        self.style().polish(self)


class StageCards(QScrollArea):
    """One domain's stage cards, side by side; emits what the user chose or ticked."""

    stage_chosen = Signal(object)  # stage key or None
    statement_toggled = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Stages and descriptor statements")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a container: Tab goes to what it holds
        self.setStyleSheet(STYLE)
        self.cards: list[StageCard] = []
        self._domain: Domain | None = None

    def show_domain(self, framework: Framework, domain: Domain) -> None:
        """Rebuild the cards for a domain (statements unticked until set_state)."""
        self._domain = domain
        inner = QWidget()
        row = QHBoxLayout(inner)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        self.cards = []
        for stage in framework.stages:
            statements = domain.statements_for(stage.key)
            note = (
                f"No descriptor is published for {stage.name} in {framework.title}. "
                f"It is still a valid stage: choose it when the room places {domain.title} "
                f"between its neighbours."
            )
            if stage.description:
                note = stage.description
            card = StageCard(stage, statements, note, inner)
            card.header.clicked.connect(
                lambda _checked=False, key=stage.key: self._on_header_clicked(key)
            )
            for r in card.rows:
                r.toggled.connect(self.statement_toggled)
            self.cards.append(card)
            row.addWidget(card, 1)
        self.setWidget(inner)

    def set_state(self, agreed: str | None, suggested: str | None, met: set[str]) -> None:
        """Mark the agreed and suggested stages and tick the statements judged met."""
        for card in self.cards:
            card.set_marks(agreed=card.stage.key == agreed, suggested=card.stage.key == suggested)
            for r in card.rows:
                r.set_met(r.statement_id in met)

    def set_editable(self, editable: bool) -> None:
        for card in self.cards:
            card.header.setEnabled(editable)
            for r in card.rows:
                r.box.setEnabled(editable)

    def _on_header_clicked(self, key: str) -> None:
        agreed = next((c.stage.key for c in self.cards if c.property("agreed")), None)
        # Clicking the agreed stage again keeps it: clearing is 0 or Delete, never a stray click.
        self.stage_chosen.emit(key)
        if agreed == key:
            self.set_state(agreed, self._suggested(), self._met())

    def _suggested(self) -> str | None:
        return next((c.stage.key for c in self.cards if c.suggested_badge.isVisibleTo(c)), None)

    def _met(self) -> set[str]:
        return {r.statement_id for c in self.cards for r in c.rows if r.box.isChecked()}
