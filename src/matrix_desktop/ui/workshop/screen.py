"""The scoring screen: one domain at a time, stages side by side, the room's views, live radar."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QHideEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from matrix_desktop.core.commands import Change
from matrix_desktop.core.feedback import FeedbackKind
from matrix_desktop.core.framework import Domain
from matrix_desktop.core.model import Vote
from matrix_desktop.core.rules import suggested_stage
from matrix_desktop.core.workshop import RadarOptions
from matrix_desktop.ui.context import AppContext
from matrix_desktop.ui.finalise import finalise_question
from matrix_desktop.ui.interaction import interaction
from matrix_desktop.ui.workshop.details import RatingDetails
from matrix_desktop.ui.workshop.feedback import SHORTCUT as FEEDBACK_KEY
from matrix_desktop.ui.workshop.feedback import FeedbackDialog, feedback_summary
from matrix_desktop.ui.workshop.radar_panel import RadarPanel
from matrix_desktop.ui.workshop.room import RoomViews
from matrix_desktop.ui.workshop.stage_cards import StageCards
from matrix_desktop.ui.workshop.state import WorkshopState
from matrix_desktop.ui.workshop.votes import Column
from matrix_desktop.ui.workshop.widgets import WrappingLabel

SAVED_FADE_MS = 4000
NOT_SAVED_RETRYING = "Not saved — retrying"  # kept in memory, saved when the link returns
SAVING = "Saving…"  # on a server: the edit is on its way (never "Saved" before the commit)
TEXT_FIELDS = {"evidence", "rationale", "enablers", "support_requests"}
NEXT_KEYS = ("PgDown", "Ctrl+Down", "Ctrl+Right")
PREVIOUS_KEYS = ("PgUp", "Ctrl+Up", "Ctrl+Left")
FINAL_NOTICE = "This assessment is final and read-only. Reopen it (with a reason) to change it."


def _shortcut(keys: str, parent: QWidget, slot: Callable[[], object]) -> QShortcut:
    sc = QShortcut(QKeySequence(keys), parent)
    sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    sc.activated.connect(slot)
    return sc


class DomainList(QListWidget):
    """The domain list; digit keys pass to the screen (stages) instead of searching the list."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (event.text().isdigit() or event.key() == Qt.Key.Key_Delete) and not (
            event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            event.ignore()
            return
        super().keyPressEvent(event)


class AssessmentScreen(QWidget):
    """Score one assessment with the room; every edit goes through ctx.push (committed, undone)."""

    needs_room = True  # a narrow main window hides its navigator for the stage cards

    def __init__(
        self,
        ctx: AppContext,
        assessment_id: str,
        parent: QWidget | None = None,
        *,
        undo_keys: bool = False,
        state: WorkshopState | None = None,
    ):
        """undo_keys: bind Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y here (when no main window does);
        state: the assessment read already (off the GUI thread), else read here."""
        super().__init__(parent)
        self._undo_keys = undo_keys
        self.ctx = ctx
        self.state = state if state is not None else WorkshopState(ctx, assessment_id)
        # If an edit here cannot reach the server, quitting can still write it to a file.
        ctx.seen_sources[assessment_id] = self.state.last_seen
        fw = self.state.framework
        self.setAccessibleName(f"Assessment: {self.state.record.assessment.title}")
        self.presentation = None
        self.menu_actions: dict = {}  # set by workshop.menus when the main window adopts them

        # header
        self.title = WrappingLabel("", self)  # wraps: a long heading must not widen the window
        self.title.setAccessibleName("Assessment")
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.title.setMinimumWidth(200)
        self.status = QLabel(self)
        self.status.setAccessibleName("Assessment status")
        self.saved = QLabel("", self)
        self.saved.setAccessibleName("Save status")
        self.saved.setMinimumWidth(110)
        self.present_button = QPushButton("Present (F11)", self)
        self.present_button.setAccessibleName("Presentation mode, full screen")
        self.finalise_button = QPushButton("Fi&nalise…", self)
        self.finalise_button.setAccessibleName("Finalise the assessment (read-only)")
        self.reopen_button = QPushButton("Reope&n…", self)  # never shown with Finalise
        self.reopen_button.setAccessibleName("Reopen the final assessment, with a reason")
        self.message = WrappingLabel("", self)
        self.message.setAccessibleName("Message")
        self.message.setStyleSheet("color: #8a3b00; font-weight: bold;")
        # Its line is kept when empty: a message coming or going must not move the stages.
        self.message.ensurePolished()
        self.message.setMinimumHeight(self.message.fontMetrics().lineSpacing())
        self._input_problem = ""  # typed input not saved (a due date), said until it is fixed
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.status)
        header.addWidget(self.saved)
        for b in (self.present_button, self.finalise_button, self.reopen_button):
            header.addWidget(b)

        # domain list
        self.domains = DomainList(self)
        self.domains.setAccessibleName("Domains and their agreed stages")
        self.domains.setWordWrap(True)
        self.domains.setMinimumWidth(200)
        for d in fw.domains:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, d.key)
            self.domains.addItem(item)

        # matrix tab
        self.domain_title = QLabel(self)
        self.domain_title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.domain_title.setWordWrap(True)
        self.suggestion = WrappingLabel("", self)
        self.suggestion.setAccessibleName("Suggested stage")
        # Feedback on the matrix: recorded on the selected statement or the domain.
        self.feedback_note = WrappingLabel("", self)
        self.feedback_note.setAccessibleName("Feedback on the matrix recorded in this domain")
        self.feedback_button = QPushButton(f"Feedback on the matrix… ({FEEDBACK_KEY})", self)
        self.feedback_button.setAccessibleName(
            "Feedback on the matrix: a request for clarity or a suggested rewording of the "
            "selected statement or the domain"
        )
        self._statement_in_focus: str | None = None
        self.cards = StageCards(self)
        self.details = RatingDetails(self)
        self.details.set_framework(self.state.framework)
        self.details.set_action_origins(self.state.action_origins)
        details_scroll = QScrollArea(self)
        details_scroll.setWidgetResizable(True)
        details_scroll.setWidget(self.details)
        details_scroll.setAccessibleName("Evidence, rationale, enablers, support and actions")
        details_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to what it holds
        matrix = QWidget(self)
        matrix_split = QSplitter(Qt.Orientation.Vertical, matrix)
        top = QWidget(matrix)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.domain_title)
        top_layout.addWidget(self.suggestion)
        top_layout.addWidget(self.cards, 1)
        feedback_row = QHBoxLayout()
        feedback_row.addWidget(self.feedback_note, 1)
        feedback_row.addWidget(self.feedback_button, 0, Qt.AlignmentFlag.AlignTop)
        top_layout.addLayout(feedback_row)
        matrix_split.addWidget(top)
        matrix_split.addWidget(details_scroll)
        matrix_split.setStretchFactor(0, 3)
        matrix_split.setStretchFactor(1, 2)
        matrix_split.setSizes([480, 280])  # the statements first; details scroll
        QVBoxLayout(matrix).addWidget(matrix_split)
        matrix.layout().setContentsMargins(0, 0, 0, 0)

        self.room = RoomViews(fw, self._on_room_vote, self)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Matrix or the room's views")
        # Its tab bar is the Tab stop (tab_order); the widget itself, whose focus goes to the
        # tab bar, would be a second stop leading back there.
        self.tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # passed on to the tab bar, so:
        self.tabs.tabBar().setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.tabs.addTab(matrix, "&Matrix")
        self.tabs.addTab(self.room, "Room's vie&ws")
        self.radar = RadarPanel(self.state.options, self)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.domains)
        split.addWidget(self.tabs)
        split.addWidget(self.radar)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 3)
        split.setStretchFactor(2, 2)
        split.setSizes([200, 900, 290])  # the stage cards first: four must be readable at 1366 px
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)

        self._saved_timer = QTimer(self)
        self._saved_timer.setSingleShot(True)
        self._saved_timer.setInterval(SAVED_FADE_MS)
        self._saved_timer.timeout.connect(self._on_saved_timer_timeout)
        self._connect()
        self._keys()
        self.refresh_all()

    # -- wiring ------------------------------------------------------------------------
    def _connect(self) -> None:
        self.ctx.changed.connect(self._on_ctx_changed)
        self.ctx.saved.connect(self._on_ctx_saved)
        self.ctx.save_failed.connect(self._on_ctx_save_failed)
        self.ctx.pending_changed.connect(self._on_ctx_pending_changed)
        self.ctx.reloaded.connect(self._on_ctx_reloaded)
        self.domains.currentRowChanged.connect(self._on_domains_currentRowChanged)
        self.cards.stage_chosen.connect(self.set_stage)
        self.cards.statement_toggled.connect(self._on_cards_statement_toggled)
        self.details.edited.connect(self._on_details_edited)
        self.details.problem.connect(self._on_details_problem)
        self.room.grid.problem.connect(self.show_message)
        self.room.agreed_chosen.connect(self.set_stage)
        self.room.rationale_committed.connect(self._on_room_rationale_committed)
        self.room.domain_selected.connect(self.go_to_domain)
        self.radar.options_changed.connect(self._on_radar_options_changed)
        self.present_button.clicked.connect(self.toggle_presentation)
        self.finalise_button.clicked.connect(self.finalise)
        self.reopen_button.clicked.connect(self.reopen)
        self.feedback_button.clicked.connect(self.record_feedback)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_app_focusChanged)

    def _keys(self) -> None:
        for key in NEXT_KEYS:
            _shortcut(key, self, lambda: self.step_domain(1))
        for key in PREVIOUS_KEYS:
            _shortcut(key, self, lambda: self.step_domain(-1))
        # Given up to the main window's menu actions when it has them (workshop/menus.py).
        self.window_keys = [_shortcut("F11", self, self.toggle_presentation)]
        if self._undo_keys:  # the main window's Edit menu has them; two would be ambiguous
            _shortcut("Ctrl+Z", self, self.undo)
            for key in ("Ctrl+Shift+Z", "Ctrl+Y"):
                _shortcut(key, self, self.redo)
        self.window_keys.append(_shortcut("Ctrl+Shift+F", self, self.finalise))
        self.window_keys.append(_shortcut(FEEDBACK_KEY, self, self.record_feedback))

    # -- navigation --------------------------------------------------------------------
    @property
    def current_domain(self) -> Domain:
        return self.state.framework.domains[max(self.domains.currentRow(), 0)]

    def go_to_domain(self, key: str) -> None:
        keys = [d.key for d in self.state.framework.domains]
        if key in keys and keys.index(key) != self.domains.currentRow():
            self.domains.setCurrentRow(keys.index(key))

    def step_domain(self, step: int) -> None:
        row = min(max(self.domains.currentRow() + step, 0), self.domains.count() - 1)
        self.domains.setCurrentRow(row)

    def _on_domains_currentRowChanged(self, _row: int) -> None:
        self.flush()  # typed text belongs to the domain it was typed for
        self._input_problem = ""  # the new domain's own, if any, is said as it is shown
        self.show_message(self._standing_message())
        self._show_current(rebuild=True)
        if self.presentation is not None:
            self.presentation.refresh()

    # -- feedback on the matrix ------------------------------------------------------------
    def selected_statement(self) -> str | None:
        """Return the statement whose tick box has (or last had) the focus on this domain."""
        ids = {row.statement_id for card in self.cards.cards for row in card.rows}
        return self._statement_in_focus if self._statement_in_focus in ids else None

    def _on_app_focusChanged(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is None or not self.isVisible():
            return
        for card in self.cards.cards:
            for row in card.rows:
                if row.box is new:
                    self._statement_in_focus = row.statement_id
                    return

    def record_feedback(self) -> FeedbackDialog | None:
        """Open the dialog asking for feedback on the selected statement (or the domain).

        It is window-modal and open until the feedback is saved or the user cancels; a
        problem is said in it with everything typed kept. Returns the dialog (None when the
        assessment takes no edits, which the screen's message then says).
        """
        domain = self.current_domain
        problem = self.state.refusal(domain, staging=False)
        if problem:
            self.show_message(problem)
            return None

        def record(statement: str | None, kind: FeedbackKind, text: str, wording: str):  # type: ignore[no-untyped-def]
            from matrix_desktop.core.errors import MatrixError
            from matrix_desktop.core.feedback import Feedback, check_feedback, new_feedback_edit

            edit = new_feedback_edit(
                self.state.assessment_id,
                domain.key,
                kind,
                text,
                statement_id=statement,
                wording=wording,
            )
            try:  # checked against the framework in memory: no database call here
                check_feedback(
                    self.state.framework,
                    Feedback("-", self.state.assessment_id, domain.key, **edit.new),  # type: ignore[arg-type]
                )
            except MatrixError as exc:
                return str(exc)
            if self.ctx.push(edit):
                return None
            return "Not saved: see the message shown."

        dialog = FeedbackDialog(
            self.state.framework, domain, self.selected_statement(), record, self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _show_feedback(self) -> None:
        self.feedback_note.setText(feedback_summary(self.current_domain, self.state.feedback))
        final = self.state.record.assessment.is_final
        self.feedback_button.setEnabled(not final and not self.locked)

    # -- edits ---------------------------------------------------------------------------
    def set_stage_position(self, position: int) -> None:
        self.set_stage(self.state.framework.stage_at(position).key)

    def set_stage(self, stage: str | None) -> bool:
        """Set the current domain's agreed stage (None: not yet assessed); True if saved."""
        domain = self.current_domain
        problem = self.state.refusal(domain)
        if problem:
            self.show_message(problem)
            self._show_current(rebuild=False)
            return False
        if self.state.record.rating(domain.key).stage == stage:
            return True
        # The radar moves at once, within the frame; the commit follows. If it is refused,
        # the screen is redrawn from the database, so the radar never shows an unsaved stage.
        self._move_radar_now(domain.key, stage)
        ok = self.ctx.push(
            self.state.services.assessments.edit_rating(
                self.state.assessment_id,
                domain.key,
                seen=self.state.record.rating(domain.key),
                stage=stage,
            )
        )
        if not ok:
            self.refresh_all()
        return ok

    def _move_radar_now(self, domain_key: str, stage: str | None) -> None:
        values = list(self.radar.view.chart.series[0].values) if self.radar.view.chart else []
        keys = [d.key for d in self.state.scored]
        if domain_key in keys and len(values) == len(keys):
            i = keys.index(domain_key)
            values[i] = self.state.framework.stage_position(stage)
            self.radar.move_live(values, self.radar.view.chart.series[0].band)

    def edit(self, seen: dict | None = None, **changes: object) -> bool:
        """Change fields of the current domain's rating through one undoable command.

        The edit is from the values shown (seen overrides them for text typed from an
        older value), so a field someone else changed meanwhile is a conflict, not lost.
        """
        problem = self.state.refusal(self.current_domain, staging=False)
        if problem:
            self.show_message(problem)
            return False
        shown = self.state.record.rating(self.current_domain.key)
        if seen:
            shown = shown.evolve(**seen)
        return self.ctx.push(
            self.state.services.assessments.edit_rating(
                self.state.assessment_id, self.current_domain.key, seen=shown, **changes
            )
        )

    def _typed_from(self, changes: dict) -> dict:
        """Return, for text fields in changes, the stored values the typing started from."""
        from matrix_desktop.ui.workshop.details import themes_from_text

        rating = self.state.record.rating(self.current_domain.key)
        boxes = {
            "evidence": self.details.evidence,
            "rationale": self.details.rationale,
            "enablers": self.details.enablers,
            "support_requests": self.details.support,
        }
        seen: dict = {}
        for name in changes.keys() & boxes.keys():
            base = boxes[name].last_base
            if name in ("enablers", "support_requests"):
                seen[name] = themes_from_text(base, getattr(rating, name))
            else:
                seen[name] = base
        return seen

    def _on_cards_statement_toggled(self, statement_id: str, met: bool) -> None:
        domain = self.current_domain
        now = set(self.state.record.rating(domain.key).statements_met)
        now = now | {statement_id} if met else now - {statement_id}
        ordered = tuple(s.id for s in domain.statements if s.id in now)
        if not self.edit(statements_met=ordered):
            self._show_current(rebuild=False)

    def _on_details_edited(self, changes: dict) -> None:
        # A refused text stays in its box (never a lost edit); other controls snap back.
        if not self.edit(self._typed_from(changes), **changes) and not (
            TEXT_FIELDS & changes.keys()
        ):
            self._show_current(rebuild=False)

    def _on_room_rationale_committed(self, text: str) -> None:
        self.edit({"rationale": self.room.rationale.last_base}, rationale=text)

    def _on_room_vote(self, participant_id: str, domain_key: str, stage: str | None) -> bool:
        problem = self.state.refusal(self.current_domain, staging=False)
        if problem:
            self.show_message(problem)
            return False
        return self.ctx.push(
            self.state.services.assessments.set_vote(
                self.state.assessment_id,
                participant_id,
                domain_key,
                stage,
                seen=Vote(
                    self.state.assessment_id,
                    participant_id,
                    domain_key,
                    self.state.vote_map().get((participant_id, domain_key)),
                ),
                who=self.state.participant_name(participant_id),
            )
        )

    def flush(self) -> None:
        """Commit text typed but not yet committed (before switching domain, undo, close)."""
        if self.ctx.services is None:
            return
        self.details.flush()
        self.room.rationale.flush()

    def export_ids(self) -> list[str]:
        """What File ▸ Export takes from this screen: the assessment shown, as typed so far."""
        self.flush()
        return [self.state.assessment_id]

    def undo(self) -> None:
        self.flush()
        self.ctx.undo_stack.undo()

    def redo(self) -> None:
        self.flush()
        self.ctx.undo_stack.redo()

    def finalise(self) -> None:
        if self.state.record.assessment.is_final:
            self.show_message("This assessment is already final.")
            return
        if self.locked:
            self.show_message(self.state.refusal(self.current_domain) or "")
            return
        self.flush()
        applicable = [d for d in self.state.framework.domains if self.state.applies(d)]
        unscored = [
            f"{d.number}. {d.title}"
            for d in applicable
            if self.state.record.rating(d.key).stage is None
        ]
        question, ok_text = finalise_question(unscored, len(applicable), "assessment")
        if interaction.confirm(self, "Finalise assessment", question, ok_text):
            a = self.state.record.assessment
            self.ctx.push(self.state.services.assessments.finalise(a.id, a.revision))

    def reopen(self) -> None:
        if not self.state.record.assessment.is_final:
            self.show_message("This assessment is a draft; there is nothing to reopen.")
            return
        if self.locked:
            self.show_message(self.state.refusal(self.current_domain) or "")
            return
        reason = interaction.ask_text(self, "Reopen assessment", "Why is it being reopened?")
        if reason is None:
            return
        if not reason.strip():
            self.show_message("Not reopened: say why it is being reopened.")
            return
        self.ctx.push(self.state.services.assessments.reopen(self.state.assessment_id, reason))

    # -- showing -------------------------------------------------------------------------
    def show_message(self, text: str) -> None:
        self.message.setText(text)

    def _standing_message(self) -> str:
        """The message that stays true after a later save: input kept unsaved, or final."""
        if self._input_problem:
            return self._input_problem
        return FINAL_NOTICE if self.state.record.assessment.is_final else ""

    def _on_details_problem(self, text: str) -> None:
        self._input_problem = text
        self.show_message(text or self._standing_message())

    def refresh_all(self) -> None:
        """Reload the assessment and redraw every part of the screen."""
        self.state.reload()
        if self.domains.currentRow() < 0:
            first = next(
                (i for i, d in enumerate(self.state.framework.domains) if self.state.applies(d)), 0
            )
            self.domains.blockSignals(True)
            self.domains.setCurrentRow(first)
            self.domains.blockSignals(False)
        self._show_header()
        for d in self.state.framework.domains:
            self._show_domain_item(d)
        self._reset_room()
        self._show_current(rebuild=True)
        self._show_radar()

    @property
    def locked(self) -> bool:
        """Nothing here can be changed: the database is read-only or the role may not."""
        return self.ctx.read_only or self.ctx.role_refusal(self.state.record.assessment) is not None

    def _show_header(self) -> None:
        a = self.state.record.assessment
        self.title.setText(self.state.heading)
        final = a.is_final
        # Another copy has the database, it is read-only, or the server role may not change it.
        read_only = self.locked
        self.status.setText(
            "FINAL (read-only)" if final else "Draft (read-only)" if read_only else "Draft"
        )
        self.finalise_button.setVisible(not final)
        self.reopen_button.setVisible(final)
        self.finalise_button.setEnabled(not read_only)
        self.reopen_button.setEnabled(not read_only)
        why = (self.ctx.role_refusal(a) or "") if read_only else ""
        self.finalise_button.setToolTip(why)
        self.reopen_button.setToolTip(why)
        editable = not final and not read_only
        self.cards.set_editable(editable)
        self.details.set_editable(editable)
        self.room.set_editable(editable)
        if final:
            self.show_message(FINAL_NOTICE)
        elif read_only:
            self.show_message(self.state.refusal(self.current_domain) or "")
        elif self.message.text() == FINAL_NOTICE:
            self.show_message("")

    def _show_domain_item(self, d: Domain) -> None:
        item = self.domains.item([x.key for x in self.state.framework.domains].index(d.key))
        item.setText(self.state.domain_line(d))
        item.setData(Qt.ItemDataRole.AccessibleTextRole, self.state.domain_line(d))

    def _show_current(self, *, rebuild: bool) -> None:
        fw, d = self.state.framework, self.current_domain
        rating = self.state.record.rating(d.key)
        if rebuild:
            self.cards.show_domain(fw, d)
            self.cards.set_editable(
                not self.state.record.assessment.is_final
                and not self.locked
                and self.state.applies(d)
            )
            self.domain_title.setText(f"{d.number}. {d.title}")
            self._set_tab_order()  # the new cards would otherwise come last
        suggested = suggested_stage(fw, d.key, rating.statements_met)
        self.cards.set_state(rating.stage, suggested, set(rating.statements_met))
        self.suggestion.setText(self.state.suggestion_text(d, suggested))
        self.details.show_rating(rating)
        self._show_feedback()
        col = [c.key for c in self.room.votes.columns].index(d.key)
        self.room.show_domain(
            col, f"{d.number}. {d.title}", self.state.views_text(d), rating.stage, rating.rationale
        )

    def tab_order(self) -> list[QWidget]:
        """Return the screen's Tab stops in reading order (hidden ones are passed over).

        The domain list, then the stages and their statements, then the details, the room's
        views, and the rest: tabs, radar, header buttons.
        """
        chain: list[QWidget] = [self.domains]
        for card in self.cards.cards:
            chain.append(card.header)
            chain.extend(row.box for row in card.rows)
        chain.append(self.feedback_button)
        d = self.details
        chain += [d.confidence, d.direction, d.target, d.target_date]
        chain += [d.evidence, d.rationale, d.enablers, d.support]
        chain += [d.actions, d.add_action, d.remove_action, d.pick_due]
        room = self.room
        chain += [room.grid, room.agreed, room.rationale, room.spread_table]
        chain += [self.tabs.tabBar(), self.radar.view.canvas, self.radar.previous]
        chain += [self.radar.spread, self.present_button, self.finalise_button]
        chain.append(self.reopen_button)
        return chain

    def _set_tab_order(self) -> None:
        chain = self.tab_order()
        for before, after in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(before, after)

    def _reset_room(self) -> None:
        rec = self.state.record
        people = [
            (p.id, p.name + (f" ({p.organisation})" if p.organisation else ""))
            for p in rec.assessment.participants
        ]
        columns = [
            Column(d.key, str(d.number), f"{d.number}. {d.title}", self.state.applies(d))
            for d in self.state.framework.domains
        ]
        self.room.votes.reset(people, columns, self.state.vote_map())
        self.room.spread.set_rows(self.state.spread_rows())

    def _show_radar(self) -> None:
        self.radar.show_chart(
            self.state.radar_chart(self.radar.options),
            [f"{d.number}. {d.title}" for d in self.state.scored],
        )

    # -- change signals --------------------------------------------------------------------
    def _on_ctx_changed(self, change: Change) -> None:
        if change.assessment_id != self.state.assessment_id:
            return
        if "deleted" in change.parts:  # moved to the trash (by another copy): nothing to edit
            self.setEnabled(False)
            self.saved.setText("This assessment was moved to the trash (Manage ▸ Trash).")
            return
        if not self.state.apply(change):
            self.state.reload()
            # Another copy's change (or several): redraw what may have changed, leaving
            # alone any text being typed here.
            change = Change(
                change.assessment_id,
                frozenset(d.key for d in self.state.framework.domains),
                change.parts | {"assessment", "vote"},
                external=True,
            )
        if "assessment" in change.parts:
            self._show_header()
            self._reset_room()
        for key in change.domain_keys:
            if self.state.framework.has_domain(key):
                self._show_domain_item(self.state.framework.domain(key))
        if "vote" in change.parts:
            self.room.votes.update_votes(self.state.vote_map())
        self.room.spread.set_rows(self.state.spread_rows())
        if self.current_domain.key in change.domain_keys or "assessment" in change.parts:
            self._show_current(rebuild=False)
        self._show_radar()
        if self.presentation is not None:
            self.presentation.refresh()

    def _on_ctx_saved(self, when: datetime) -> None:
        if self.ctx.pending:  # saved one of several edits: the rest still wait
            self.saved.setText(NOT_SAVED_RETRYING if self.ctx.retrying else SAVING)
            return
        self.saved.setText(f"Saved {when:%H:%M:%S}")
        self._saved_timer.start()
        if not self.ctx.pending:  # an earlier failure is no longer news: only what is still true
            self.show_message(self._standing_message())

    def _on_ctx_pending_changed(self, waiting: int) -> None:
        if waiting and not self.ctx.retrying:
            self._saved_timer.stop()
            self.saved.setText(SAVING)

    def _on_saved_timer_timeout(self) -> None:
        self.saved.setText("")

    def _on_ctx_save_failed(self, message: str) -> None:
        self._saved_timer.stop()
        self.saved.setText(NOT_SAVED_RETRYING if self.ctx.pending else "NOT SAVED")
        self.show_message(message)

    def _on_ctx_reloaded(self) -> None:
        if self.state.exists():
            self.refresh_all()
        else:  # the database was closed or replaced: nothing here can be edited any more
            self.setEnabled(False)

    def _on_radar_options_changed(self, options: RadarOptions) -> None:
        self.state.options = options
        self._show_radar()

    # -- presentation and closing ----------------------------------------------------------
    def toggle_presentation(self) -> None:
        from matrix_desktop.ui.workshop.presentation import PresentationWindow

        if self.presentation is not None:
            self.presentation.close()
            return
        self.flush()
        self.presentation = PresentationWindow(self)
        self.presentation.closed.connect(self._on_presentation_closed)
        self.presentation.showFullScreen()

    def _on_presentation_closed(self) -> None:
        self.presentation = None
        self.domains.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """1-N choose a stage, 0 or Delete clear it, from the domain list or the stage cards.

        Plain key presses, not shortcuts: text boxes and the votes grid take digits first,
        and only keys they leave reach here.
        """
        text = event.text()
        plain = not (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier)
        focus = QApplication.focusWidget()
        scoped = focus is not None and (focus is self.domains or self.cards.isAncestorOf(focus))
        if (
            plain
            and scoped
            and ((len(text) == 1 and text.isdigit()) or event.key() == Qt.Key.Key_Delete)
        ):
            n = int(text) if text.isdigit() else 0
            if n == 0:
                self.set_stage(None)
            elif n <= len(self.state.framework.stages):
                self.set_stage_position(n)
            else:
                self.show_message(
                    f"Use 1-{len(self.state.framework.stages)} for a stage, "
                    "0 or Delete for not yet assessed."
                )
            event.accept()
            return
        super().keyPressEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self.flush()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.flush()
        super().closeEvent(event)
