"""Going from page to page: the navigator, an entity's page and opening an assessment.

Each is read through PageReads (ui/page_reads.py): on a server, on a worker, so the window
never freezes; the page shown stays usable meanwhile, and a notice above it says what is
being opened. When the newest request's read fails because the server cannot be reached,
the notice says so in one sentence and offers Retry (Alt+T), and the read is tried again by
itself, waiting longer after each failure, until the link returns.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from matrix_desktop.ui.models import AssessmentRow
from matrix_desktop.ui.page_reads import PageReads, Request

if TYPE_CHECKING:
    from matrix_desktop.core.model import Assessment, Entity
    from matrix_desktop.services.context import Services
    from matrix_desktop.ui.workshop.state import WorkshopState

log = logging.getLogger(__name__)

NAVIGATOR, PAGE = "navigator", "page"


class LoadNotice(QWidget):
    """Above the page: why what was asked for could not be read, with Retry.

    What is being opened is said on the status bar instead (`opening`): a line appearing
    above the page at each step would move the page and redraw its charts.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("load_notice")
        self.setStyleSheet("QWidget#load_notice { background: #e8f0fe; }")
        self.text = QLabel()
        self.text.setAccessibleName("Loading status")
        self.text.setWordWrap(True)
        self.retry_button = QPushButton("Re&try now")
        self.retry_button.setAccessibleName("Try reading from the database server again now")
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 2, 6, 2)
        row.addWidget(self.text, 1)
        row.addWidget(self.retry_button)
        self.hide()
        self.opening = QLabel()
        self.opening.setAccessibleName("Opening")

    def show_opening(self, label: str) -> None:
        self.opening.setText(f"Opening {label}…")

    def hide_opening(self) -> None:
        self.opening.setText("")

    def show_failure(self, message: str, retry: bool) -> None:
        self.text.setText(message)
        self.retry_button.setVisible(retry)
        self.show()


@dataclass(frozen=True)
class EntityPageData:
    """What an entity's page shows, read in one go."""

    entity: Entity
    rows: list[AssessmentRow]
    progress: Any  # services.single_view's progress, or None when the entity has none
    progress_missing: str = ""


@dataclass(frozen=True)
class OpenedAssessment:
    """An assessment read for its screen: the workshop state, or a peer review's view."""

    assessment: Assessment
    state: WorkshopState | None = None
    review_view: Any = None


def read_entity_page(svc: Services, entity_id: str) -> EntityPageData:
    """Read an entity's page (raises NotFound when the entity is gone)."""
    from matrix_desktop.core.errors import NotFound

    entity = svc.catalog.entity(entity_id)
    rounds = {r.id: r.name for r in svc.catalog.rounds()}
    rows = []
    rated = svc.assessments.rated_counts(entity_id)  # one query, not a record each
    for a in svc.assessments.assessments(entity_id):
        fw = svc.catalog.framework(a.framework_key, a.framework_version)
        rows.append(
            AssessmentRow(
                a.id,
                rounds.get(a.round_id, "?"),
                a.kind.label,
                a.status.value.capitalize(),
                fw.title,
                f"{rated.get(a.id, 0)} of {len(fw.domains_for(entity.kind))}",
                a.modified_at[:16].replace("T", " "),
            )
        )
    try:
        return EntityPageData(entity, rows, svc.single_view.progress(entity_id))
    except NotFound as exc:
        return EntityPageData(entity, rows, None, str(exc))


def read_assessment(ctx: Any, assessment_id: str) -> OpenedAssessment:
    """Read what an assessment's screen needs (raises NotFound when it is gone)."""
    from matrix_desktop.ui.workshop.state import WorkshopState

    svc = ctx.services
    view = svc.assessments.open_view(assessment_id)  # one read, one snapshot
    assessment = view.record.assessment
    if assessment.is_peer_review:
        return OpenedAssessment(assessment, review_view=svc.peer_review.self_vs_peer(assessment_id))
    return OpenedAssessment(assessment, state=WorkshopState(ctx, assessment_id, view))


class PageNavigation:
    """Reads and shows the main window's navigator, entity pages and assessments."""

    def __init__(self, window: Any):  # the MainWindow (not imported: it imports this module)
        self.window = window
        self.ctx = window.ctx
        self.reads = PageReads(self._on_server, lambda: self.ctx.services)
        self.notice = LoadNotice()
        self.notice.retry_button.clicked.connect(self.retry_now)
        self.reads.started.connect(self._on_reads_started)
        self.reads.settled.connect(self._on_reads_settled)
        # Per slot, the newest request when its read failed for want of the server: retried.
        self._failed: dict[str, Request] = {}
        self._retry = QTimer(window)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self.retry_now)
        self._retry_ms = self.ctx.RETRY_MS
        self._resume_after_navigator: str | None = None
        self._after_navigator: list[Callable[[], None]] = []
        self._page_asks = 0  # pages asked for: one asked after a navigator read wins over it

    def _on_server(self) -> bool:
        services = self.ctx.services
        return services is not None and not services.db.location.is_sqlite

    # -- requests ----------------------------------------------------------------------
    def load_navigator(self, *, in_place: bool = False) -> None:
        """Read the systems and entities; then show the current entity (unless in_place and
        another page is shown)."""
        svc = self.ctx.services
        if svc is None:
            return
        asked = self._page_asks

        def show(navigation: Any) -> None:
            # A page asked for since (an assessment opened just after an import) wins: the
            # navigator is filled in place, without showing the entity's page over it.
            self._show_navigator(navigation, in_place, page_asked=self._page_asks != asked)

        self._load(
            Request(
                NAVIGATOR,
                "the list of partnerships",
                svc.catalog.navigation,
                show,
                self._on_read_failed,
            )
        )

    def after_navigator(self, callback: Callable[[], None]) -> None:
        """Call back once the navigator being read is shown (now, if none is being read)."""
        if self.reads.busy(NAVIGATOR):
            self._after_navigator.append(callback)
        else:
            callback()

    def show_entity(self, entity_id: str) -> None:
        """Read and show an entity's page (the previous page stays until it is read)."""
        w = self.window
        w.current_entity_id = entity_id
        svc = self.ctx.services
        if svc is None:  # still loading: shown when the services arrive (refresh)
            w.status_label.setText("Loading…")
            return
        node = w.nav_model.node(w.nav_model.index_of_entity(entity_id))
        self._load(
            Request(
                PAGE,
                node.label if node is not None else "the partnership",
                lambda: read_entity_page(svc, entity_id),
                self._show_entity_page,
                self._on_entity_failed,
            )
        )

    def open_assessment(self, assessment_id: str, *, resume: bool = False) -> None:
        """Read and show an assessment (resume: the one open when the app last closed)."""
        if self.ctx.services is None:
            return
        ctx = self.ctx
        self._load(
            Request(
                PAGE,
                "the assessment",
                lambda: read_assessment(ctx, assessment_id),
                lambda opened: self._show_assessment(opened, resume),
                self._on_resume_failed if resume else self._on_read_failed,
            )
        )

    def resume(self, assessment_id: str) -> None:
        """Reopen where the user left off, once the navigator is read (it picks an entity)."""
        if self.reads.busy(NAVIGATOR):
            self._resume_after_navigator = assessment_id
        else:
            self.open_assessment(assessment_id, resume=True)

    def cancel_page(self) -> None:
        """Another page was shown directly: a page still being read must not replace it."""
        self.reads.cancel(PAGE)
        self._clear_failure(PAGE)
        if not self.reads.busy():
            self.notice.hide_opening()

    def retry_now(self) -> None:
        """Read again what could not be read (Retry now, or the retry timer)."""
        failed, self._failed = list(self._failed.values()), {}
        self._retry.stop()
        for request in failed:
            if self.reads.is_latest(request) and request.services is self.ctx.services:
                self._load(request, retrying=True)

    def _load(self, request: Request, *, retrying: bool = False) -> None:
        if not retrying:
            self._clear_failure(request.slot)  # the user moved on: that read is not wanted
        if request.slot == PAGE:
            self._page_asks += 1
            self._flush_page()
        self.reads.load(request)

    def _flush_page(self) -> None:
        """Commit text still being typed on the page shown before another replaces it: the
        edit path takes it (saved, or kept to retry) before anything is read."""
        page = getattr(self.window, "_task_page", None)
        if page is not None and hasattr(page, "flush"):
            try:
                page.flush()
            except RuntimeError:  # its Qt side is already gone
                pass

    # -- outcomes ----------------------------------------------------------------------
    def _on_reads_started(self, request: Request) -> None:
        self.notice.show_opening(request.label)

    def _on_reads_settled(self, _slot: str) -> None:
        if not self.reads.busy():
            self.notice.hide_opening()

    def _succeeded(self) -> None:
        if not self.reads.busy():
            self.notice.hide_opening()
        if not self._failed:
            self._retry_ms = self.ctx.RETRY_MS
            self.notice.hide()

    def _show_navigator(self, navigation: Any, in_place: bool, page_asked: bool = False) -> None:
        w = self.window
        self._succeeded()
        if in_place or page_asked:
            selection = w.nav.selectionModel()
            selection.blockSignals(True)  # re-selecting the entity must not change the page
            try:
                w.populate_navigator(navigation)
            finally:
                selection.blockSignals(False)
            on_entity_page = w.stack.currentWidget() is w.entity_page
            if not page_asked and on_entity_page and w.current_entity_id:
                self.show_entity(w.current_entity_id)
        else:
            w.populate_navigator(navigation)
            if w.current_entity_id:
                self.show_entity(w.current_entity_id)
        resume, self._resume_after_navigator = self._resume_after_navigator, None
        if resume is not None:
            self.open_assessment(resume, resume=True)
        callbacks, self._after_navigator = self._after_navigator, []
        for callback in callbacks:
            callback()

    def _show_entity_page(self, data: EntityPageData) -> None:
        w = self.window
        self._succeeded()
        entity = data.entity
        w.current_entity_id = entity.id
        page = w.entity_page
        page.title.setText(f"<h2>{entity.name}</h2>")
        members = ", ".join(entity.members) or "no member organisations recorded"
        page.detail.setText(f"{entity.kind.label}. Members: {members}.")
        page.model.set_rows(data.rows)
        w.stack.setCurrentWidget(page)
        self.ctx.settings.setValue("main_window/entity", entity.id)
        if page.progress.show_progress(data.progress, data.progress_missing):
            w.radar_shown.emit()

    def _show_assessment(self, opened: OpenedAssessment, resume: bool) -> None:
        w = self.window
        self._succeeded()
        a = opened.assessment
        if resume:
            index = w.nav_model.index_of_entity(a.entity_id)
            if index.isValid():
                selection = w.nav.selectionModel()
                selection.blockSignals(True)  # the assessment is the page, not its entity's
                try:
                    w.nav.setCurrentIndex(index)
                finally:
                    selection.blockSignals(False)
            w.current_entity_id = a.entity_id
        w.show_read_assessment(opened)

    def _on_resume_failed(self, request: Request, exc: BaseException) -> None:
        from matrix_desktop.core.errors import MatrixError

        if isinstance(exc, MatrixError) and not getattr(exc, "retryable", False):
            return  # deleted, or another database: stay on the page shown
        self._on_read_failed(request, exc)

    def _on_entity_failed(self, request: Request, exc: BaseException) -> None:
        from matrix_desktop.core.errors import NotFound

        if isinstance(exc, NotFound):  # the entity is gone (deleted elsewhere)
            w = self.window
            w.current_entity_id = None
            w.stack.setCurrentWidget(w.welcome)
            self._succeeded()
            return
        self._on_read_failed(request, exc)

    def _on_read_failed(self, request: Request, exc: BaseException) -> None:
        svc = self.ctx.services
        explained = svc.explain_failure(exc) if svc is not None else None
        if explained is None:
            raise exc  # a fault in the app, not the database's: not hidden
        if getattr(explained, "retryable", False):
            self._failed[request.slot] = request
            seconds = max(1, round(self._retry_ms / 1000))
            self.notice.show_failure(
                f"The database server cannot be reached, so {request.label} could not be "
                f"read; trying again in {seconds} s (Retry now: Alt+T).",
                retry=True,
            )
            log.warning("reading %s failed: %s", request.label, explained)
            self._retry.start(self._retry_ms)
            self._retry_ms = min(self._retry_ms * 2, self.ctx.RETRY_MAX_MS)
        else:
            self.notice.show_failure(
                f"{request.label[0].upper()}{request.label[1:]} could not be read: {explained}",
                retry=False,
            )

    def _clear_failure(self, slot: str | None = None) -> None:
        """Forget a failed read (of the slot, or all): it is no longer wanted."""
        if slot is None:
            self._failed.clear()
        elif self._failed.pop(slot, None) is None:
            return
        if not self._failed:
            self._retry.stop()
            self._retry_ms = self.ctx.RETRY_MS
            self.notice.hide()

    def close(self) -> None:
        """The database is closing: drop reads in flight (their results) and any retry."""
        self._clear_failure()
        self.reads.forget()
        self._after_navigator.clear()
        self._resume_after_navigator = None
        self.notice.hide()
        self.notice.hide_opening()
