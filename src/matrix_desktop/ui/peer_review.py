"""Peer review screens: start a review of a final self-assessment, score it beside the self view."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QFocusEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from matrix_desktop.core.commands import Change, Command
from matrix_desktop.core.errors import MatrixError
from matrix_desktop.core.feedback import FeedbackKind
from matrix_desktop.core.model import Rating, ReviewPosition
from matrix_desktop.services.compare import CompareFilter
from matrix_desktop.services.context import Services
from matrix_desktop.services.peer_review import DomainReview, SelfVsPeer
from matrix_desktop.ui.chart_canvas import RadarView
from matrix_desktop.ui.combos import combo_value
from matrix_desktop.ui.finalise import finalise_question
from matrix_desktop.ui.flow_layout import FlowLayout
from matrix_desktop.ui.interaction import interaction
from matrix_desktop.ui.keyboard import name_by_labels
from matrix_desktop.ui.table_model import text_table
from matrix_desktop.ui.workshop.feedback import SHORTCUT as FEEDBACK_KEY
from matrix_desktop.ui.workshop.feedback import FeedbackDialog

if TYPE_CHECKING:
    from matrix_desktop.services.assessments import ChangeListener
    from matrix_desktop.ui.context import AppContext

Apply = Callable[[Command], object]
MIN_READABLE_PX = 260  # the self-assessment's evidence: several words to a line, even at 1024 px


def _caption_above(layout: QFormLayout | QVBoxLayout, caption: str, box: QWidget) -> None:
    """A caption over its text box, so the text gets the whole width."""
    label = QLabel(caption)
    label.setBuddy(box)
    if isinstance(layout, QFormLayout):
        layout.addRow(label)
        layout.addRow(box)
    else:
        layout.addWidget(label)
        layout.addWidget(box, 1)


class CommitTextEdit(QPlainTextEdit):
    """A text box that announces its text when focus leaves it (one edit, one command)."""

    committed = Signal(str)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setTabChangesFocus(True)
        self._last = ""
        self.base = ""  # the saved text the last committed text replaced, as the user saw it

    def set_saved_text(self, text: str) -> None:
        """Show text that is already saved (no commit follows).

        Text being typed (focus here, not yet committed) is left alone, still based on what
        the user saw: another copy's change then meets it as a conflict, never wipes it.
        """
        if self.hasFocus() and self.toPlainText() != self._last:
            return
        self._last = text
        if self.toPlainText() != text:
            self.setPlainText(text)

    def commit(self) -> None:
        text = self.toPlainText()
        if text != self._last:
            self.base = self._last
            self._last = text
            self.committed.emit(text)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt API)
        self.commit()
        super().focusOutEvent(event)


class StartReviewForm(QWidget):
    """Choose a final self-assessment and name the reviewer; refusals and warnings shown here."""

    started = Signal(str)  # the new review's id

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setAccessibleName("Start a peer review")
        self.assessment = QComboBox(accessibleName="Self-assessment to review")
        self.reviewer = QLineEdit(accessibleName="Reviewer name")
        self.organisation = QLineEdit(accessibleName="Reviewer organisation")
        self.start = QPushButton("&Start review", accessibleName="Start review")
        self.message = QLabel(accessibleName="Peer review message")
        self.message.setWordWrap(True)
        self.warnings: tuple[str, ...] = ()
        form = QFormLayout(self)
        form.addRow("Self-&assessment", self.assessment)
        form.addRow("Reviewer &name", self.reviewer)
        form.addRow("Reviewer &organisation", self.organisation)
        form.addRow(self.start)
        form.addRow(self.message)
        name_by_labels(self)
        for head in services.compare.candidates(CompareFilter(final_only=True)):
            self.assessment.addItem(head.title or head.entity_name, head.id)
        self.start.clicked.connect(self._on_start_clicked)
        self.reviewer.returnPressed.connect(self._on_start_clicked)
        self.organisation.returnPressed.connect(self._on_start_clicked)

    def _on_start_clicked(self) -> None:
        target = combo_value(self.assessment, str)
        if target is None:
            self.message.setText("There is no final self-assessment to review yet.")
            return
        try:
            started = self.services.peer_review.start_review(
                target, self.reviewer.text(), self.organisation.text()
            )
        except MatrixError as exc:
            self.message.setText(str(exc))
            return
        self.warnings = started.warnings
        self.message.setText(
            "Review started." + "".join(f"\nWarning: {w}" for w in started.warnings)
        )
        self.started.emit(started.review.id)


class PeerReviewWidget(QWidget):
    """Score a peer review domain by domain beside the self-assessment; every edit is a command.

    Embed: PeerReviewWidget(services, review_id, apply=push), where push(command) puts the
    command on the window's QUndoStack (whose redo calls services.assessments.execute).
    The widget refreshes itself on any committed Change to its review, including undo; it
    stops listening when it is closed or destroyed. Given the AppContext (ctx=) it also
    reloads whenever the context reloads (a backup restored, the database reopened).
    """

    def __init__(
        self,
        services: Services,
        review_id: str,
        apply: Apply | None = None,
        parent: QWidget | None = None,
        *,
        ctx: AppContext | None = None,
        view: SelfVsPeer | None = None,
    ) -> None:
        """view: the review read already (off the GUI thread), else read here."""
        super().__init__(parent)
        self.services = services
        self.review_id = review_id
        self.apply: Apply = apply or services.assessments.execute
        self.view: SelfVsPeer = view or services.peer_review.self_vs_peer(review_id)
        self._loading = False
        self.setAccessibleName("Peer review")
        self._build()
        name_by_labels(self)
        self._load_domain_list()
        self.domains.setCurrentRow(0)
        ref = weakref.ref(self)
        listener: ChangeListener = lambda change: _deliver(ref, change)  # noqa: E731
        self._listener = listener
        # The services listened to, in a box the destroyed handler shares (it must not hold
        # the widget): the listener goes when the widget does, even if close() never came.
        box: list[Services | None] = [None]
        self._listening_box = box
        self._listen(services)
        self.destroyed.connect(lambda *_: _stop(box, listener))
        self._ctx = ctx
        if ctx is not None:  # a bound method: Qt drops the connection when the page goes
            ctx.reloaded.connect(self._on_ctx_reloaded)

    # -- listening ----------------------------------------------------------------------
    def _listen(self, services: Services | None) -> None:
        """Hear committed changes from `services` (None: from nothing), and only from it."""
        _stop(self._listening_box, self._listener)
        self._listening_box[0] = services
        if services is not None:
            services.assessments.subscribe(self._listener)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self._listen(None)
        super().closeEvent(event)

    def _on_ctx_reloaded(self) -> None:
        """The database changed as a whole: read the review again from the context's services."""
        services = self._ctx.services if self._ctx is not None else None
        if services is None:
            return
        self.services = services
        if self._listening_box[0] is not None:  # still open
            self._listen(services)
        try:
            self.refresh()
        except MatrixError:  # the review is gone (an older backup): nothing to score
            self.setEnabled(False)

    # -- building -----------------------------------------------------------------------
    def _build(self) -> None:
        fw = self.view.framework
        self.heading = QLabel(accessibleName="Review heading")
        # One of the two shows at a time (draft: Finalise; final: Reopen), so they share Alt+N.
        self.finalise_button = QPushButton(
            "Fi&nalise review…", accessibleName="Finalise the peer review (read-only)"
        )
        self.reopen_button = QPushButton(
            "Reope&n review…", accessibleName="Reopen the final peer review, with a reason"
        )
        self.finalise_button.setToolTip("Ctrl+Shift+F")
        self.feedback_button = QPushButton(
            f"Feedback on the matrix… ({FEEDBACK_KEY})",
            accessibleName="Record feedback on the matrix: a request for clarity or a "
            "suggested rewording of this domain or one of its statements",
        )
        self.message = QLabel(accessibleName="Peer review message")
        self.message.setWordWrap(True)
        self.domains = QListWidget(accessibleName="Domains")
        self.domains.installEventFilter(self)
        self.self_stage = QLabel(accessibleName="Self-assessed stage")
        self.self_evidence = QPlainTextEdit(
            readOnly=True, accessibleName="Self-assessment evidence"
        )
        self.self_rationale = QPlainTextEdit(
            readOnly=True, accessibleName="Self-assessment rationale"
        )
        mine = QGroupBox("Self-assessment")
        left = QFormLayout(mine)
        left.addRow("Stage", self.self_stage)
        for caption, box in (("Evidence", self.self_evidence), ("Rationale", self.self_rationale)):
            _caption_above(left, caption, box)

        theirs = QGroupBox("Peer review")
        right = QVBoxLayout(theirs)  # a box, not a form: the wrapping stage row gets its height
        self.stage_group = QButtonGroup(self)
        stages = QWidget()
        stage_row = FlowLayout(stages)  # wraps on a narrow window instead of squeezing the rest
        for i, stage in enumerate(fw.stages, start=1):
            button = QRadioButton(f"&{i} {stage.name}", accessibleName=f"Peer stage {stage.name}")
            self.stage_group.addButton(button, i)
            stage_row.addWidget(button)
        none = QRadioButton("&0 Not assessed", accessibleName="Peer stage not assessed")
        self.stage_group.addButton(none, 0)
        stage_row.addWidget(none)
        right.addWidget(QLabel("Stage (keys 1-4)"))
        right.addWidget(stages)
        self.position_group = QButtonGroup(self)
        self.agree = QRadioButton("A&gree", accessibleName="Agree with the self-assessed stage")
        self.challenge = QRadioButton(
            "&Challenge", accessibleName="Challenge the self-assessed stage"
        )
        self.position_group.addButton(self.agree, 1)
        self.position_group.addButton(self.challenge, 2)
        position_row = QHBoxLayout()
        position_row.addWidget(QLabel("Position"))
        position_row.addWidget(self.agree)
        position_row.addWidget(self.challenge)
        position_row.addStretch(1)
        right.addLayout(position_row)
        self.comment = CommitTextEdit("Reviewer comment")
        self.suggestions = CommitTextEdit("Reviewer suggestions")
        for caption, box in (("Co&mment", self.comment), ("S&uggestions", self.suggestions)):
            _caption_above(right, caption, box)

        split = QSplitter()
        split.addWidget(self.domains)
        split.addWidget(mine)
        split.addWidget(theirs)
        split.setStretchFactor(1, 2)
        split.setStretchFactor(2, 2)
        split.setSizes([220, 420, 620])  # the self-assessment's text must stay readable
        for i in range(split.count()):
            split.setCollapsible(i, False)
        mine.setMinimumWidth(MIN_READABLE_PX)
        self.domains.setWordWrap(True)  # long key areas wrap rather than hide their status
        self.domains.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        overall = QGroupBox("Overall")
        narrative = QFormLayout(overall)
        self.strengths = CommitTextEdit("Strengths")
        self.areas = CommitTextEdit("Areas to develop")
        self.recommendations = CommitTextEdit("Recommendations")
        narrative.addRow("Strengths", self.strengths)
        narrative.addRow("Areas to develop", self.areas)
        narrative.addRow("Recommendations", self.recommendations)
        for box in (self.strengths, self.areas, self.recommendations):
            # three lines each, so the domain being scored keeps its room on a 768 px screen
            box.setMinimumHeight(3 * box.fontMetrics().lineSpacing() + 12)

        editor = QWidget()
        editor_layout = QVBoxLayout(editor)
        editor_layout.addWidget(split, 3)
        editor_layout.addWidget(overall, 1)

        self.table, self.table_model = text_table("Self and peer stages by domain")
        self.radar = RadarView(name="Self and peer radar")
        compare = QSplitter(Qt.Orientation.Vertical)
        compare.addWidget(self.table)
        compare.addWidget(self.radar)
        self.tabs = QTabWidget(accessibleName="Peer review views")
        self.tabs.addTab(editor, "Revie&w")
        self.tabs.addTab(compare, "&Self vs peer")
        self.tabs.currentChanged.connect(self._on_tabs_currentChanged)

        header = QHBoxLayout()
        header.addWidget(self.heading, 1)
        header.addWidget(self.feedback_button)
        header.addWidget(self.finalise_button)
        header.addWidget(self.reopen_button)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs)

        self.finalise_button.clicked.connect(self.finalise)
        self.reopen_button.clicked.connect(self.reopen)
        finalise_key = QShortcut(QKeySequence("Ctrl+Shift+F"), self)
        finalise_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        finalise_key.activated.connect(self.finalise)
        self.feedback_button.clicked.connect(self.record_feedback)
        feedback_key = QShortcut(QKeySequence(FEEDBACK_KEY), self)
        feedback_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        feedback_key.activated.connect(self.record_feedback)
        self.domains.currentRowChanged.connect(self._on_domains_currentRowChanged)
        self.stage_group.idClicked.connect(self._on_stage_group_idClicked)
        self.position_group.idClicked.connect(self._on_position_group_idClicked)
        for box, name in (
            (self.comment, "review_comment"),
            (self.suggestions, "review_suggestions"),
        ):
            box.committed.connect(
                lambda t, box=box, name=name: self._edit_rating({name: box.base}, **{name: t})
            )
        for box, name in (
            (self.strengths, "strengths"),
            (self.areas, "areas_to_develop"),
            (self.recommendations, "recommendations"),
        ):
            box.committed.connect(
                lambda t, box=box, name=name: self._edit_details({name: box.base}, **{name: t})
            )

    # -- showing ------------------------------------------------------------------------
    @property
    def current(self) -> DomainReview:
        row = max(self.domains.currentRow(), 0)
        return self.view.domains[row]

    def _domain_text(self, d: DomainReview) -> str:
        fw = self.view.framework
        peer = fw.stage(d.peer_stage).name if d.peer_stage else "not scored"
        flag = "  [differs]" if d.flagged else ""
        return f"{d.number}. {d.title}: {peer}{flag}"

    def _load_domain_list(self) -> None:
        r = self.view.review
        self.heading.setText(f"{r.title} ({r.status.value})")
        row = self.domains.currentRow()
        self.domains.blockSignals(True)
        self.domains.clear()
        self.domains.addItems([self._domain_text(d) for d in self.view.domains])
        self.domains.setCurrentRow(row)
        self.domains.blockSignals(False)
        access = self.services.db.access  # on a server: may this login's role change it?
        role_refusal = None if access is None or access.may_edit(r) else access.refusal()
        read_only_db = self.services.db.read_only or role_refusal is not None
        editable = not r.is_final and not read_only_db
        self.feedback_button.setEnabled(editable)
        self.feedback_button.setToolTip(
            ""
            if editable
            else "Feedback on the matrix is recorded on a draft review this login may change."
        )
        self.finalise_button.setVisible(not r.is_final)
        self.reopen_button.setVisible(r.is_final)
        self.finalise_button.setEnabled(not read_only_db)
        self.reopen_button.setEnabled(not read_only_db)
        for w in (
            *self.stage_group.buttons(),
            self.agree,
            self.challenge,
            self.comment,
            self.suggestions,
            self.strengths,
            self.areas,
            self.recommendations,
        ):
            w.setEnabled(editable)
        if r.is_final:
            self.message.setText(
                "This review is final and read-only. Reopen it (with a reason) to change it."
            )
        elif role_refusal:
            self.message.setText(role_refusal)
        elif read_only_db:
            self.message.setText("This database is open read-only; the review cannot be changed.")
        elif self.message.text().startswith("This review is final"):
            self.message.setText("")
        self.strengths.set_saved_text(r.strengths)
        self.areas.set_saved_text(r.areas_to_develop)
        self.recommendations.set_saved_text(r.recommendations)
        if row >= 0:
            self._show_domain()
        if self.tabs.currentIndex() == 1:
            self._show_comparison()

    def _show_domain(self) -> None:
        d, fw = self.current, self.view.framework
        self.self_stage.setText(fw.stage(d.self_stage).name if d.self_stage else "Not assessed")
        self.self_evidence.setPlainText(d.evidence)
        self.self_rationale.setPlainText(d.rationale)
        self._loading = True
        self.stage_group.setExclusive(False)
        for b in self.stage_group.buttons():
            b.setChecked(False)
        self.stage_group.setExclusive(True)
        self.stage_group.button(d.peer_position or 0).setChecked(True)
        self.position_group.setExclusive(False)
        self.agree.setChecked(d.position is ReviewPosition.AGREE)
        self.challenge.setChecked(d.position is ReviewPosition.CHALLENGE)
        self.position_group.setExclusive(True)
        self.comment.set_saved_text(d.comment)
        self.suggestions.set_saved_text(d.suggestions)
        self._loading = False

    def _show_comparison(self) -> None:
        fw = self.view.framework
        rows = []
        for d in self.view.domains:
            diff = "" if d.difference is None else f"{d.difference:+d}"
            rows.append(
                (
                    d.title,
                    fw.stage(d.self_stage).name if d.self_stage else "Not assessed",
                    fw.stage(d.peer_stage).name if d.peer_stage else "Not assessed",
                    diff + (" (flagged)" if d.flagged else ""),
                    d.position.value.capitalize() if d.position else "",
                    d.comment,
                    d.suggestions,
                )
            )
        self.table_model.set_rows(
            ("Domain", "Self", "Peer", "Self minus peer", "Position", "Comment", "Suggestions"),
            rows,
        )
        self.radar.set_chart(self.view.radar())

    def refresh(self, change: Change | None = None) -> None:
        """Reload from the database (after any committed change to this review)."""
        if change is not None and change.assessment_id not in (
            self.review_id,
            self.view.self_assessment.id,
        ):
            return
        self.view = self.services.peer_review.self_vs_peer(self.review_id)
        self._load_domain_list()

    def export_ids(self) -> list[str]:
        """What File ▸ Export takes from this screen: the review (its self-assessment follows)."""
        texts = (self.comment, self.suggestions, self.strengths, self.areas, self.recommendations)
        for box in texts:
            box.commit()  # text being typed goes too
        return [self.review_id]

    # -- editing ------------------------------------------------------------------------
    def _run(self, command_factory: Callable[[], Command], done: str = "Saved") -> bool:
        try:
            result = self.apply(command_factory())
        except MatrixError as exc:
            self.message.setText(str(exc))
            self.refresh()
            return False
        if result is False:  # refused by the window's stack (it told the user why)
            self.refresh()
            return False
        # The committed Change reaches refresh() through the subscription.
        self.message.setText(done)
        return True

    def record_feedback(self) -> FeedbackDialog | None:
        """Ask for feedback on the matrix about the current domain (or one of its statements).

        Recorded on this review, through the window's undo stack like any other edit; a
        refusal is said in the dialog, which keeps what was typed. Returns the dialog (None
        when this review takes no edits, which the page's message then says).
        """
        if not self.feedback_button.isEnabled():
            self.message.setText(
                self.feedback_button.toolTip() or "This review cannot be changed here."
            )
            return None
        fw = self.view.framework
        domain = fw.domain(self.current.domain_key)

        def record(statement: str | None, kind: FeedbackKind, text: str, wording: str):  # type: ignore[no-untyped-def]
            from matrix_desktop.core.feedback import Feedback, check_feedback, new_feedback_edit

            edit = new_feedback_edit(
                self.review_id, domain.key, kind, text, statement_id=statement, wording=wording
            )
            try:  # checked against the framework in memory: no database call here
                check_feedback(fw, Feedback("-", self.review_id, domain.key, **edit.new))  # type: ignore[arg-type]
            except MatrixError as exc:
                return str(exc)
            if self._run(lambda: edit, done="Feedback on the matrix recorded."):
                return None
            return self.message.text() or "Not saved: see the message shown."

        dialog = FeedbackDialog(fw, domain, None, record, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def flush(self) -> None:
        """Commit text typed but not yet committed (before finalising, or leaving the page)."""
        for box in (
            self.comment,
            self.suggestions,
            self.strengths,
            self.areas,
            self.recommendations,
        ):
            if box.isEnabled():
                box.commit()

    def finalise(self) -> bool:
        """Ask, naming any domain the reviewer has not scored, then finalise; True if done."""
        if self.view.review.is_final:
            self.message.setText("This review is already final.")
            return False
        if self.services.db.read_only:
            self.message.setText("This database is open read-only; the review cannot be changed.")
            return False
        self.flush()
        unscored = [f"{d.number}. {d.title}" for d in self.view.domains if d.peer_stage is None]
        question, ok_text = finalise_question(unscored, len(self.view.domains), "review")
        if not interaction.confirm(self, "Finalise peer review", question, ok_text):
            return False
        review = self.view.review
        return self._run(
            lambda: self.services.assessments.finalise(self.review_id, review.revision),
            "Finalised: the review is read-only.",
        )

    def reopen(self) -> bool:
        """Ask why, then reopen the final review (the reason goes in the audit trail)."""
        if not self.view.review.is_final:
            self.message.setText("This review is a draft; there is nothing to reopen.")
            return False
        reason = interaction.ask_text(self, "Reopen peer review", "Why is it being reopened?")
        if reason is None:
            return False
        if not reason.strip():
            self.message.setText("Not reopened: say why it is being reopened.")
            return False
        return self._run(
            lambda: self.services.assessments.reopen(self.review_id, reason),
            "Reopened: the review can be changed again.",
        )

    def _edit_rating(self, typed_from: dict | None = None, **changes: object) -> None:
        """Edit the current domain from what it shows (typed_from: text's starting values)."""
        if self._loading:
            return
        d = self.current
        shown: dict[str, Any] = {
            "stage": d.peer_stage,
            "review_position": d.position,
            "review_comment": d.comment,
            "review_suggestions": d.suggestions,
            **(typed_from or {}),
        }
        seen = Rating(self.review_id, d.domain_key, **{k: shown[k] for k in changes})
        self._run(
            lambda: self.services.assessments.edit_rating(
                self.review_id, d.domain_key, seen=seen, **changes
            )
        )

    def _edit_details(self, typed_from: dict | None = None, **changes: object) -> None:
        review = self.view.review.evolve(**(typed_from or {}))
        self._run(
            lambda: self.services.assessments.edit_details(self.review_id, seen=review, **changes)
        )

    def set_stage(self, position: int) -> None:
        """Score the current domain at a stage position (0: not assessed)."""
        fw = self.view.framework
        if not 0 <= position <= len(fw.stages):
            return
        key = fw.stage_at(position).key if position else None
        if key != self.current.peer_stage:
            self._edit_rating(stage=key)

    # -- slots --------------------------------------------------------------------------
    def _on_domains_currentRowChanged(self, row: int) -> None:
        if row >= 0:
            self._show_domain()

    def _on_stage_group_idClicked(self, button_id: int) -> None:
        self.set_stage(button_id)

    def _on_position_group_idClicked(self, button_id: int) -> None:
        position = ReviewPosition.AGREE if button_id == 1 else ReviewPosition.CHALLENGE
        if position is not self.current.position:
            self._edit_rating(review_position=position)

    def _on_tabs_currentChanged(self, index: int) -> None:
        if index == 1:
            self._show_comparison()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        # Digits on the domain list score the current domain, so a reviewer can walk the
        # list with the arrow keys and type 1-4 without leaving it.
        if watched is self.domains and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            text = event.text()
            if text.isdigit() and not self.view.review.is_final:
                self.set_stage(int(text))
                return True
        return super().eventFilter(watched, event)


def _stop(box: list[Services | None], listener: ChangeListener) -> None:
    """Stop `listener` hearing the services in `box`, and empty the box."""
    services, box[0] = box[0], None
    if services is not None:
        services.assessments.unsubscribe(listener)


def _deliver(ref: weakref.ref[PeerReviewWidget], change: Change) -> None:
    widget = ref()
    if widget is None:
        return
    try:
        widget.refresh(change)
    except RuntimeError:  # the Qt side was deleted before Python let go
        pass
