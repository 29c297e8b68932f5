"""Help matched to need: each request for support with who could help, and the pairings.

A tab of the system's single view. "Record pairing…" opens a small dialog, filled from the
request chosen (who asked, the domain, the round, the entities that could help first); the
pairing is an edit run through the AppContext (committed, audited, undoable).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from matrix_desktop.core.commands import Change, Command
from matrix_desktop.core.errors import MatrixError
from matrix_desktop.core.help_match import MatchedRequest, PairingStatus
from matrix_desktop.services.context import Services
from matrix_desktop.services.help_match import (
    PAIRING_HEADERS,
    REQUEST_HEADERS,
    HelpMatches,
    PairingLine,
    pairing_rows,
    request_rows,
)
from matrix_desktop.ui.combos import combo_value
from matrix_desktop.ui.keyboard import name_by_labels
from matrix_desktop.ui.table_model import text_table

if TYPE_CHECKING:
    from matrix_desktop.ui.context import AppContext


class RecordPairingDialog(QDialog):
    """Who offers help to whom, on which domain, in which round, with a note."""

    def __init__(
        self,
        parent: QWidget | None,
        services: Services,
        system_id: str,
        request: MatchedRequest | None,
        domain_titles: dict[str, str],
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record pairing")
        self.setAccessibleName("Record pairing")
        entities = [e for e in services.catalog.entities(system_id) if not e.archived]
        helpers = [h.entity_id for h in request.helpers] if request else []
        order = {eid: i for i, eid in enumerate(helpers)}
        self.offering = QComboBox()
        for e in sorted(entities, key=lambda e: (order.get(e.id, len(order)), e.name.casefold())):
            mark = " (could help)" if e.id in order else ""
            self.offering.addItem(e.name + mark, e.id)
        self.receiving = QComboBox()
        for e in sorted(entities, key=lambda e: e.name.casefold()):
            self.receiving.addItem(e.name, e.id)
        self.domain = QComboBox()
        for key, title in domain_titles.items():
            self.domain.addItem(title, key)
        self.round = QComboBox()
        for r in sorted(services.catalog.rounds(), key=lambda r: -r.sequence):
            self.round.addItem(r.name, r.id)
        self.status = QComboBox()
        for s in PairingStatus:
            self.status.addItem(s.label, s.value)
        self.note = QLineEdit()
        self.note.setPlaceholderText("e.g. Sheffield offered help to Barnsley on governance")
        if request is not None:
            for box, value in (
                (self.receiving, request.entity_id),
                (self.domain, request.domain_key),
                (self.round, request.round_id),
            ):
                index = box.findData(value)
                if index >= 0:
                    box.setCurrentIndex(index)
        form = QFormLayout()
        for text, box in (
            ("&Offered by", self.offering),
            ("&To", self.receiving),
            ("&Domain", self.domain),
            ("&Round", self.round),
            ("&Status", self.status),
            ("&Note", self.note),
        ):
            label = QLabel(text)
            label.setBuddy(box)
            form.addRow(label, box)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Record")
        self.ok_button.setAccessibleName("Record the pairing")
        # accepted is connected by the panel: the dialog closes only once the pairing is
        # recorded, so a refused one keeps what was typed.
        self.buttons.rejected.connect(self.reject)
        self.problem = QLabel(accessibleName="Pairing problem")
        self.problem.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        name_by_labels(self)
        self.note.setFocus()


class HelpMatchPanel(QWidget):
    """Requests for support with who could help, and the pairings recorded, for one system."""

    def __init__(
        self,
        services: Services,
        system_id: str,
        parent: QWidget | None = None,
        *,
        ctx: AppContext | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.system_id = system_id
        self.round_id: str | None = None
        self.matches: HelpMatches | None = None
        self.lines: list[PairingLine] = []
        self.dialog: RecordPairingDialog | None = None
        self._stale = True  # not read yet (see reload)
        self._ctx = ctx
        self.setAccessibleName("Help matched to need")
        self._build()
        if ctx is not None:
            ctx.changed.connect(self._on_ctx_changed)

    def _build(self) -> None:
        self.note = QLabel(accessibleName="Help matched to need note")
        self.note.setWordWrap(True)
        self.requests, self.requests_model = text_table("Requests for support and who could help")
        self.pairings, self.pairings_model = text_table("Pairings recorded")
        self.record = QPushButton("Re&cord pairing…", accessibleName="Record pairing")
        self.status = QComboBox(accessibleName="New status of the pairing")
        for s in PairingStatus:
            self.status.addItem(s.label, s.value)
        self.set_status = QPushButton("Set stat&us", accessibleName="Set the pairing's status")
        self.message = QLabel(accessibleName="Pairing message")
        self.message.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.record)
        bar.addStretch(1)
        bar.addWidget(self.status)
        bar.addWidget(self.set_status)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.requests)
        split.addWidget(self.pairings)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(split, 1)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        self.record.clicked.connect(self._on_record_clicked)
        self.set_status.clicked.connect(self._on_set_status_clicked)

    # -- loading ------------------------------------------------------------------------
    def reload(self, round_id: str | None = None) -> None:
        """Recompute from the database; round_id narrows to one round (None: every round).

        Read only while the panel is shown (else when it is next shown): the single view
        opens without reading every round's requests.
        """
        self.round_id = round_id
        self._stale = not self.isVisible()
        if not self._stale:
            self._load()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        if self._stale:
            self._stale = False
            self._load()
        super().showEvent(event)

    def _allow_changes(self) -> None:
        """Only the programme office and the administrator record pairings (the server
        refuses others); a read-only database records nothing. Say why in the tooltip."""
        why = ""
        if self._ctx is not None:
            access = self._ctx.access
            if self._ctx.read_only:
                why = "This database is open read-only."
            elif access is not None and not access.writes_everything:
                why = f"Only the programme office records pairings; you are {access.label}."
        for button in (self.record, self.set_status):
            button.setEnabled(not why)
            button.setToolTip(why)

    def _load(self) -> None:
        self._allow_changes()
        round_id = self.round_id
        matches = self.services.help_match.matches(self.system_id, round_id)
        self.matches = matches
        self.requests_model.set_rows(REQUEST_HEADERS, tuple(request_rows(matches)))
        self.lines = self.services.help_match.pairings(system_id=self.system_id, round_id=round_id)
        self.pairings_model.set_rows(PAIRING_HEADERS, tuple(pairing_rows(self.lines)))
        asked = len(matches.requests)
        self.note.setText(
            f"{asked} request{'s' if asked != 1 else ''} for support, each with the entities "
            "that rated the same domain Maturing or Thriving in the same round and the key "
            f"enablers they recorded. {matches.note}"
        )

    def current_request(self) -> MatchedRequest | None:
        index = self.requests.currentIndex()
        if self.matches is None or not index.isValid():
            return None
        return self.matches.requests[index.row()]

    def current_pairing(self) -> PairingLine | None:
        index = self.pairings.currentIndex()
        return self.lines[index.row()] if index.isValid() else None

    # -- edits --------------------------------------------------------------------------
    def _push(self, command: Command) -> bool:
        if self._ctx is not None:
            return self._ctx.push(command)
        try:
            self.services.assessments.execute(command)
        except MatrixError as exc:
            self.message.setText(str(exc))
            return False
        self.reload(self.round_id)
        return True

    def _on_record_clicked(self) -> None:
        titles = dict(self.matches.domain_titles) if self.matches else {}
        if not titles:
            titles = self.services.catalog.domain_titles()
        dialog = RecordPairingDialog(
            self, self.services, self.system_id, self.current_request(), titles
        )
        dialog.buttons.accepted.connect(self._on_dialog_buttons_accepted)
        self.dialog = dialog
        dialog.open()

    def _on_dialog_buttons_accepted(self) -> None:
        dialog = self.dialog
        if dialog is None:
            return
        catalog = self.services.catalog
        try:
            offering = catalog.entity(str(combo_value(dialog.offering, str)))
            receiving = catalog.entity(str(combo_value(dialog.receiving, str)))
            edit = self.services.help_match.record(
                offering,
                receiving,
                str(combo_value(dialog.domain, str)),
                str(combo_value(dialog.round, str)),
                dialog.note.text(),
                PairingStatus(str(combo_value(dialog.status, str))),
            )
        except MatrixError as exc:
            dialog.problem.setText(f"Not recorded: {exc}")
            return
        if self._ctx is None:
            try:
                self.services.assessments.execute(edit)
            except MatrixError as exc:  # e.g. a domain the matrix does not have
                dialog.problem.setText(f"Not recorded: {exc}")
                return
            self.reload(self.round_id)
        elif not self._ctx.push(edit):
            dialog.problem.setText("Not recorded; see the message shown.")
            return
        dialog.accept()
        self.message.setText("Recorded: " + edit.text.removeprefix("Record pairing: "))

    def _on_set_status_clicked(self) -> None:
        line = self.current_pairing()
        if line is None:
            self.message.setText("Choose a pairing in the list first.")
            return
        edit = self.services.help_match.set_status(line.pairing, str(combo_value(self.status, str)))
        if self._push(edit):
            self.message.setText(f"{line.sentence}: {edit.text.lower()}.")

    def _on_ctx_changed(self, change: Change) -> None:
        if change.parts & {"pairing", "rating", "status", "created", "catalog"}:
            try:
                self.reload(self.round_id)
            except MatrixError:
                self.setEnabled(False)
