"""The main window: navigator on the left, pages in the centre, menus and shortcuts."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QMimeData, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QMoveEvent,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from matrix_desktop import APP_DISPLAY_NAME
from matrix_desktop.ui.context import AppContext
from matrix_desktop.ui.interaction import interaction
from matrix_desktop.ui.models import NavigatorModel, NavNode
from matrix_desktop.ui.pages import EntityPage, WelcomePage
from matrix_desktop.ui.window_database import READ_ONLY_NOTE, DatabaseActions
from matrix_desktop.ui.window_layout import WindowLayout
from matrix_desktop.ui.window_transfer import TransferActions

if TYPE_CHECKING:
    from datetime import datetime

    from matrix_desktop.core.commands import Change
    from matrix_desktop.core.model import Entity, System
    from matrix_desktop.services.context import Services
    from matrix_desktop.ui.navigation import OpenedAssessment
    from matrix_desktop.ui.workshop.screen import AssessmentScreen
    from matrix_desktop.ui.workshop.state import WorkshopState

log = logging.getLogger(__name__)

OPEN_ASSESSMENT_KEY = "main_window/assessment"  # reopened on start, where the user left off


class MainWindow(QMainWindow):
    """The application window. It paints first; the database is opened just after.

    It is composed of parts it owns, each given the AppContext and the few window hooks it
    needs: database_actions (open, back up, restore), transfers (import, export), reports
    (the Reports menu) and layout_keeper (fitting the screen, making room for the stages).
    """

    data_loaded = Signal()
    radar_shown = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        ctx.parent_widget = self
        self.setWindowTitle(APP_DISPLAY_NAME)
        self.setAccessibleName("Matrix Desktop main window")
        self.setAcceptDrops(True)  # exchange files dropped on the window are imported
        self.current_entity_id: str | None = None

        self.nav_model = NavigatorModel(self)
        self.nav = QTreeView()
        self.nav.setModel(self.nav_model)
        self.nav.setHeaderHidden(True)
        self.nav.setAccessibleName("Systems and entities")
        self.nav.selectionModel().currentChanged.connect(self._on_nav_current_changed)
        dock = QDockWidget("Partnerships", self)
        dock.setObjectName("navigator_dock")
        dock.setWidget(self.nav)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        self.resizeDocks([dock], [240], Qt.Orientation.Horizontal)  # 4 stage cards fit at 1366 px
        self.nav_dock = dock

        self.stack = QStackedWidget()
        self.welcome = WelcomePage()
        self.entity_page = EntityPage()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.entity_page)
        self.banner = QLabel()
        self.banner.setObjectName("warning_banner")
        self.banner.setAccessibleName("Warning")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "QLabel#warning_banner { background: #fff3cd; color: #3d2e00; padding: 6px; }"
        )
        dismiss = QToolButton()
        dismiss.setText("Dismiss")
        dismiss.setAccessibleName("Dismiss the warning")
        self.banner_box = QWidget()
        self.banner_box.setObjectName("warning_box")
        self.banner_box.setStyleSheet("QWidget#warning_box { background: #fff3cd; }")
        row = QHBoxLayout(self.banner_box)
        row.setContentsMargins(0, 0, 6, 0)
        row.addWidget(self.banner, 1)
        row.addWidget(dismiss)
        dismiss.clicked.connect(self.banner_box.hide)
        self.banner_box.hide()
        self.banner.show()
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.banner_box)
        from matrix_desktop.ui.navigation import PageNavigation

        # Reads the navigator, entity pages and assessments (on a server, off the GUI thread).
        self.navigation = PageNavigation(self)
        column.addWidget(self.navigation.notice)
        column.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.status_label = QLabel("Opening database…")
        self.status_label.setAccessibleName("Status")
        self.saved_label = QLabel("")
        self.saved_label.setAccessibleName("Save status")
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.navigation.notice.opening)
        self.statusBar().addPermanentWidget(self.saved_label)
        self.database_actions = DatabaseActions(
            ctx,
            self,
            show_status=self.status_label.setText,
            show_warnings=self._show_warnings,
            on_opened=self._on_database_opened,
        )
        self.transfers = TransferActions(
            ctx,
            self,
            show_status=self.status_label.setText,
            refresh=self.refresh,
            show_first_entity=self._show_first_entity,
        )
        self.welcome.open_examples.connect(self.transfers.import_examples)
        self.welcome.set_up_system.connect(self.set_up_system)
        self.welcome.new_assessment.connect(self.new_assessment)
        self.welcome.import_files.connect(self.transfers.import_files)
        self.entity_page.open_assessment.connect(self.open_assessment)
        self.entity_page.new_assessment.connect(self.new_assessment)
        self.entity_page.export_assessments.connect(self.transfers.export_assessments)
        self.entity_page.delete_assessments.connect(self.delete_assessments)
        ctx.saved.connect(self._on_ctx_saved)
        ctx.save_failed.connect(self._on_ctx_save_failed)
        ctx.changed.connect(self._on_ctx_changed)
        ctx.reloaded.connect(self.refresh)
        ctx.reloaded.connect(self._on_ctx_reloaded_writable)
        interaction.settings = ctx.settings  # file dialogs start in the folder used last
        self._build_menus()
        # Makes the navigator closable from the View menu: after the menus are built.
        self.layout_keeper = WindowLayout(self, self.nav_dock, self.stack)
        self.navigator_action = self.layout_keeper.navigator_action
        self._restore_geometry()
        # The assessment open when the app last closed: read now, before pages replace it.
        resume = ctx.settings.value(OPEN_ASSESSMENT_KEY)
        self._resume_assessment_id = resume if isinstance(resume, str) and resume else None
        self._assessment_page: QWidget | None = None
        self._shut_down = False
        self.stack.currentChanged.connect(self._on_stack_current_changed)
        # Many changes at once (an import seen through the feed) refresh the lists once.
        self._refresh_soon = QTimer(self)
        self._refresh_soon.setSingleShot(True)
        self._refresh_soon.setInterval(0)
        self._refresh_soon.timeout.connect(self._refresh_in_place)
        self.data_loaded.connect(self._resume_assessment)

    # -- menus -------------------------------------------------------------------------
    def _action(self, menu, text: str, slot, shortcut=None, name: str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        action.setObjectName(
            name or text.replace("…", "").replace("&", "").lower().replace(" ", "_")
        )
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self.new_action = self._action(
            file, "&New assessment…", self.new_assessment, QKeySequence.StandardKey.New
        )
        transfers = self.transfers
        self.import_action = self._action(file, "&Import…", transfers.import_files, "Ctrl+I")
        self.import_folder_action = self._action(
            file, "Import &folder…", transfers.import_folder, "Ctrl+Shift+I"
        )
        self.export_action = self._action(file, "&Export…", self._export_shown, "Ctrl+E")
        file.addSeparator()
        self.import_framework_action = self._action(
            file, "Import fra&mework…", transfers.import_framework
        )
        self.export_framework_action = self._action(
            file, "Export framewor&k…", transfers.export_framework
        )
        self.examples_action = self._action(file, "Open e&xample data", transfers.import_examples)
        self.setup_action = self._action(file, "Set &up your system…", self.set_up_system)
        self.manage_action = self._action(
            file, "Mana&ge systems and rounds…", self.manage, "Ctrl+Shift+M"
        )
        self.restore_action = self._action(
            file, "&Restore from backup…", self.database_actions.restore_from_backup
        )
        file.addSeparator()
        self.quit_action = self._action(file, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        edit = bar.addMenu("&Edit")
        undo = self.ctx.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        redo = self.ctx.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit.addAction(undo)
        edit.addAction(redo)
        self.undo_action, self.redo_action = undo, redo
        edit.addSeparator()
        self.delete_action = self._action(
            edit, "Move assessment to &trash… (Delete)", self._delete_shown
        )
        review = bar.addMenu("&Review")
        self.start_review_action = self._action(
            review, "Start &peer review…", self.start_peer_review, "Ctrl+R"
        )
        self.compare_action = self._action(review, "&Compare…", self.show_compare, "Ctrl+Shift+C")
        self.single_view_action = self._action(
            review, "System &single view", self.show_single_view, "Ctrl+Shift+V"
        )
        self.compare_frameworks_action = self._action(
            review, "Compare framework &versions…", transfers.compare_frameworks, "Ctrl+Shift+D"
        )
        self.action_plan_action = self._action(
            review, "&Action plan", self.show_action_plan, "Ctrl+Shift+A"
        )
        self.matrix_feedback_action = self._action(
            review, "Matrix f&eedback", self.show_matrix_feedback, "Ctrl+Shift+E"
        )
        self.history_action = self._action(
            review, "&History…", self.show_history, "Ctrl+Shift+H", name="history"
        )
        from matrix_desktop.ui.report_actions import ReportActions

        self.reports = ReportActions(
            self.ctx,
            self,
            bar.addMenu("Re&ports"),
            current_entity_id=lambda: self.current_entity_id,
            selected_ids=self.entity_page.selected_ids,
            current_system_id=self._current_system_id,
            show_status=self.status_label.setText,
        )
        self.view_menu = bar.addMenu("&View")
        self.view_menu.addAction(self.nav_dock.toggleViewAction())  # Ctrl+B: window_layout
        self.nav_focus_action = self._action(
            self.view_menu, "Go to &partnerships", self.nav.setFocus, "Ctrl+L"
        )
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&About Matrix Desktop", self.show_about)

    # -- geometry ----------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = self.ctx.settings.value("main_window/geometry")
        state = self.ctx.settings.value("main_window/state")
        restored = isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            self.restoreState(state)
        self.layout_keeper.fit_to_screen(restored)  # a saved size may be too big for this screen

    # -- Qt's events, passed on to the parts that want them -------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.shutdown()
        super().closeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        keeper = getattr(self, "layout_keeper", None)
        if keeper is not None:
            keeper.refit_once_framed()

    def moveEvent(self, event: QMoveEvent) -> None:  # noqa: N802 (Qt API)
        super().moveEvent(event)
        keeper = getattr(self, "layout_keeper", None)
        if keeper is not None:
            keeper.refit_once_framed()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        keeper = getattr(self, "layout_keeper", None)  # not yet while the window is built
        if keeper is not None:
            keeper.make_room_for_stages()

    def event(self, event: QEvent) -> bool:
        keeper = getattr(self, "layout_keeper", None)
        if keeper is not None:
            keeper.before_event(event)
        return super().event(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt API)
        self.transfers.drag_enter(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt API)
        self.transfers.drop(event)

    # -- the parts' entry points that callers (the app, tests) use on the window ----------
    def open_database(self, database: str | None, read_only: bool = False) -> bool:
        """Open the database safely (lock, integrity, backups); see DatabaseActions."""
        return self.database_actions.open_database(database, read_only)

    def restore_from_backup(self) -> None:
        self.database_actions.restore_from_backup()

    def import_examples(self) -> None:
        self.transfers.import_examples()

    def import_dropped(self, mime: QMimeData | None) -> bool:
        return self.transfers.import_dropped(mime)

    def export_assessments(self, ids: list[str]) -> None:
        self.transfers.export_assessments(ids)

    def _on_database_opened(self) -> None:
        opened = self.ctx.opened
        self._shut_down = False  # a database open again: closing must close it cleanly
        if opened is not None:
            where = str(opened.services.db.location)
            ro = " (read-only)" if opened.read_only else ""
            # X11 and Wayland append " — <application name>" to every title themselves.
            from PySide6.QtGui import QGuiApplication

            appends = QGuiApplication.platformName() in ("xcb", "wayland")
            self.setWindowTitle(f"{where}{ro}" if appends else f"{APP_DISPLAY_NAME} — {where}{ro}")
        self.data_loaded.emit()

    def _show_warnings(self, messages: list[str]) -> None:
        self.banner.setText("\n".join(messages))
        self.banner_box.setVisible(bool(messages))

    def _show_first_entity(self) -> None:
        """After an import with no entity chosen: choose the first one listed (once the
        navigator being read is shown)."""
        self.navigation.after_navigator(self._choose_first_entity)

    def _choose_first_entity(self) -> None:
        if self.current_entity_id is None:
            first = self.nav_model.index(0, 0, self.nav_model.index(0, 0))
            if first.isValid():
                self.nav.setCurrentIndex(first)

    def commit_data(self, *_args: object) -> None:
        """Save what is typed and the window's settings (the session is ending, or quitting)."""
        focus = self.focusWidget()
        if focus is not None:
            focus.clearFocus()  # let editors commit what is typed before closing
        page = getattr(self, "_task_page", None)
        if page is not None and hasattr(page, "flush"):
            try:
                page.flush()
            except RuntimeError:  # its Qt side is already gone
                pass
        # Hidden only to make room: not the user's choice to keep.
        self.layout_keeper.restore_navigator()
        self.ctx.settings.setValue("main_window/geometry", self.saveGeometry())
        self.ctx.settings.setValue("main_window/state", self.saveState())
        self.ctx.settings.sync()

    def shutdown(self) -> None:
        """Close cleanly, once: commit typed text, save settings, close the database.

        Closing the window, quitting the application (aboutToQuit), a logout and SIGTERM
        all end here, so the database records a clean close and the next start does not
        report a crash.
        """
        if self._shut_down:
            return
        self._shut_down = True
        self.commit_data()
        self.database_actions.backup_timer.stop()
        self.offer_kept_edits()
        self.navigation.close()
        self.ctx.close_database()

    def offer_kept_edits(self) -> None:
        """Quitting with edits the server could not take yet: offer them as an exchange file."""
        from matrix_desktop.core.errors import MatrixError

        if not self.ctx.pending:
            return
        self.ctx.retry_pending(wait=True)  # the link may be back
        while self.ctx.pending:
            n = len(self.ctx.pending)
            choice = interaction.choose(
                self,
                "Unsaved changes",
                f"{n} change(s) could not reach the database server and are not saved. "
                "Write them to an exchange file? Importing that file later saves them "
                "(changes made by others meanwhile are shown side by side).",
                ["Write to a file", "Discard them"],
            )
            if choice == "Discard them":
                return
            path = interaction.save_file(
                self, "Write unsaved changes", "unsaved-changes.mdx.json", "Exchange files (*.json)"
            )
            if not path:
                continue
            try:
                written = self.ctx.write_kept(path)
            except MatrixError as exc:
                interaction.error(self, "Not written", str(exc))
                continue
            interaction.info(self, "Unsaved changes written", f"Written to {written}.")
            return

    # -- data --------------------------------------------------------------------------
    @property
    def services(self) -> Services | None:
        return self.ctx.services

    def populate_navigator(self, navigation: list[tuple[System, list[tuple[Entity, int]]]]) -> None:
        """Show systems and their entities: [(System, [(Entity, assessment count)])]."""
        tree = []
        for system, entities in navigation:
            kids = [
                NavNode(e.name, system.id, e.id, f"{e.kind.label}; {n} assessment(s)")
                for e, n in entities
            ]
            tree.append(
                (NavNode(system.short_name or system.name, system.id, None, system.name), kids)
            )
        self.nav_model.set_data(tree)
        self.nav.expandAll()
        self.welcome.set_has_data(bool(tree))
        if self.current_entity_id is None:  # reopen where the user left off
            remembered = self.ctx.settings.value("main_window/entity")
            if isinstance(remembered, str) and self.nav_model.index_of_entity(remembered).isValid():
                self.current_entity_id = remembered
        if self.current_entity_id:
            index = self.nav_model.index_of_entity(self.current_entity_id)
            if index.isValid():
                self.nav.setCurrentIndex(index)

    def refresh(self) -> None:
        """Reload the navigator and the current page from the database."""
        self.navigation.load_navigator()

    def show_entity(self, entity_id: str) -> None:
        """Show an entity's page (read first; on a server off the GUI thread)."""
        self.navigation.show_entity(entity_id)

    def _on_nav_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        node = self.nav_model.node(current)
        if node is not None and node.entity_id:
            self.show_entity(node.entity_id)

    # -- actions -----------------------------------------------------------------------
    def new_assessment(self) -> None:
        if self.services is None:
            return
        if self.ctx.read_only:
            interaction.info(self, "New assessment", READ_ONLY_NOTE)
            return
        from matrix_desktop.ui.workshop.new_assessment import start_assessment

        assessment_id = start_assessment(self.ctx, self, self.current_entity_id)
        if assessment_id is not None:
            self.open_assessment(assessment_id)

    def set_up_system(self) -> None:
        """File > Set up your system: the first-run form; then show the first entity."""
        if self.services is None or self.ctx.read_only:
            return
        from matrix_desktop.ui.first_run import set_up_system

        if set_up_system(self.ctx, self):
            self.refresh()
            self._show_first_entity()

    def manage(self) -> None:
        """File > Manage systems and rounds (Ctrl+Shift+M)."""
        if self.services is None:
            return
        if self.ctx.read_only:
            interaction.info(self, "Manage", READ_ONLY_NOTE)
            return
        from matrix_desktop.ui.manage import manage

        manage(self.ctx, self)
        self.refresh()

    def _delete_shown(self) -> None:
        """Edit > Move assessment to trash: the assessments chosen on the entity page."""
        if self.stack.currentWidget() is self.entity_page:
            self.entity_page.delete_selected()
        else:
            interaction.info(
                self, "Move to trash", "Choose assessments on a partnership's page first."
            )

    def delete_assessments(self, ids: list[str]) -> None:
        """Move the chosen assessments to the trash (a final one with a reason)."""
        from matrix_desktop.ui.setup_actions import delete_assessments

        if delete_assessments(self.ctx, self, ids):
            self.refresh()

    def _export_shown(self) -> None:
        """Export what the page shows: an open assessment or review, else the rows chosen."""
        page = self.stack.currentWidget()
        shown = getattr(page, "export_ids", None)
        self.export_assessments(shown() if callable(shown) else self.entity_page.selected_ids())

    def show_page(self, widget: QWidget) -> None:
        """Show a page built for one task in the centre, closing the one it replaces."""
        self.navigation.cancel_page()  # a page still being read must not replace this one
        old = getattr(self, "_task_page", None)
        if old is not None and hasattr(old, "flush"):
            old.flush()  # commit text still being typed before the page goes
        self.stack.addWidget(widget)
        self.stack.setCurrentWidget(widget)
        self._task_page = widget
        if old is not None and old is not widget:
            self.stack.removeWidget(old)
            old.close()
            old.deleteLater()

    def _current_system_id(self) -> str | None:
        svc = self.services
        if svc is None:
            return None
        if self.current_entity_id:
            return svc.catalog.entity(self.current_entity_id).system_id
        systems = svc.catalog.systems()
        return systems[0].id if systems else None

    def open_assessment(self, assessment_id: str) -> None:
        """Open an assessment: a peer review in the review screen, a self-assessment to score.

        It is read first (on a server off the GUI thread; the page shown stays meanwhile).
        """
        self.navigation.open_assessment(assessment_id)

    def show_read_assessment(self, opened: OpenedAssessment) -> None:
        """Show an assessment read by open_assessment."""
        svc = self.services
        if svc is None:
            return
        assessment_id = opened.assessment.id
        if opened.assessment.is_peer_review:
            from matrix_desktop.ui.peer_review import PeerReviewWidget

            self.show_page(
                PeerReviewWidget(
                    svc, assessment_id, apply=self.ctx.push, ctx=self.ctx, view=opened.review_view
                )
            )
        else:
            self.open_self_assessment(assessment_id, opened.state)
        self._assessment_page = self.stack.currentWidget()
        self.ctx.settings.setValue(OPEN_ASSESSMENT_KEY, assessment_id)

    def _on_stack_current_changed(self, _index: int) -> None:
        # Any other page (entity, compare, single view): the app reopens there, not here.
        if self.stack.currentWidget() is not self._assessment_page:
            self._assessment_page = None
            self.ctx.settings.remove(OPEN_ASSESSMENT_KEY)

    def _resume_assessment(self) -> None:
        """Reopen the assessment that was open when the app last closed (once, at start)."""
        assessment_id, self._resume_assessment_id = self._resume_assessment_id, None
        if assessment_id is None or self.services is None:
            return
        self.navigation.resume(assessment_id)

    def _on_ctx_reloaded_writable(self) -> None:
        """A read-only database (another copy has it): every way to change data is off.

        On a server, what the login's role may not do is off too, the reason in its tooltip
        and on the status line.
        """
        writable = self.services is not None and not self.ctx.read_only
        access = self.ctx.access
        why = access.refusal() if access is not None else ""
        may_import = writable and (access is None or access.writes_everything)
        may_create = writable and (access is None or access.may_edit_any)
        may_review = writable and (
            access is None
            or access.writes_everything
            or ("peer reviewer" in access.roles and bool(access.reviews))
        )
        for action, allowed in (
            (self.new_action, may_create),
            (self.import_action, may_import),
            (self.import_folder_action, may_import),
            (self.import_framework_action, may_import),
            (self.examples_action, may_import),
            (self.setup_action, may_import),
            (self.manage_action, may_import),
            (self.delete_action, may_import),
            (self.restore_action, may_import),
            (self.start_review_action, may_review),
        ):
            action.setEnabled(allowed)
            action.setToolTip("" if allowed or not writable else why)
        for button, allowed in (
            (self.welcome.examples_button, may_import),
            (self.welcome.setup_button, may_import),
            (self.welcome.new_button, may_create),
            (self.welcome.import_button, may_import),
            (self.entity_page.new_button, may_create),
        ):
            button.setEnabled(allowed)
            button.setToolTip("" if allowed or not writable else why)
        self.setAcceptDrops(may_import)

    @property
    def assessment_screen(self) -> AssessmentScreen | None:
        """The workshop screen on show, if any."""
        from matrix_desktop.ui.workshop.screen import AssessmentScreen

        page = getattr(self, "_task_page", None)
        return page if isinstance(page, AssessmentScreen) else None

    def open_self_assessment(self, assessment_id: str, state: WorkshopState | None = None) -> None:
        """Show the workshop screen for a self-assessment (state: read already)."""
        from matrix_desktop.ui.workshop.menus import attach_menus
        from matrix_desktop.ui.workshop.screen import AssessmentScreen

        screen = AssessmentScreen(self.ctx, assessment_id, self, state=state)
        self.show_page(screen)
        attach_menus(self, screen, self.view_menu)
        screen.domains.setFocus()

    def start_peer_review(self) -> None:
        from PySide6.QtWidgets import QDialog, QVBoxLayout

        from matrix_desktop.ui.peer_review import StartReviewForm

        svc = self.services
        if svc is None:
            return
        if self.ctx.read_only:
            interaction.info(self, "Start a peer review", READ_ONLY_NOTE)
            return
        dialog = QDialog(self)
        dialog.setWindowTitle("Start a peer review")
        form = StartReviewForm(svc, dialog)
        QVBoxLayout(dialog).addWidget(form)
        started: list[str] = []
        form.started.connect(lambda review_id: (started.append(review_id), dialog.accept()))
        dialog.resize(560, 260)
        if dialog.exec() and started:
            self.ctx.undo_stack.clear()
            self.refresh()
            self.open_assessment(started[0])

    def show_compare(self) -> None:
        from matrix_desktop.ui.compare import CompareWidget

        if self.services is not None:
            self.show_page(CompareWidget(self.services, self._current_system_id(), ctx=self.ctx))

    def show_single_view(self) -> None:
        from matrix_desktop.ui.single_view import SingleViewWidget

        system_id = self._current_system_id()
        if self.services is None or system_id is None:
            interaction.info(self, "Single view", "Import or create a system's assessments first.")
            return
        self.show_page(SingleViewWidget(self.services, system_id, ctx=self.ctx))

    def show_action_plan(self) -> None:
        """Show the action plan of the selected entity's system (that entity chosen)."""
        from matrix_desktop.ui.action_plan import ActionPlanWidget

        system_id = self._current_system_id()
        if self.services is None or system_id is None:
            interaction.info(self, "Action plan", "Import or create a system's assessments first.")
            return
        page = ActionPlanWidget(self.services, system_id, self.current_entity_id, ctx=self.ctx)
        self.show_page(page)

    def show_matrix_feedback(self) -> None:
        """Show all feedback on the matrix, per framework version (the programme office's)."""
        from matrix_desktop.ui.matrix_feedback import MatrixFeedbackWidget

        if self.services is None:
            return
        self.show_page(MatrixFeedbackWidget(self.services, ctx=self.ctx))

    def show_history(self) -> None:
        """Review > History: the open (or chosen) assessment's audit trail, else the database's."""
        from matrix_desktop.ui.history import show_history

        page = self.stack.currentWidget()
        if self.assessment_screen is not None and page is self.assessment_screen:
            assessment_id: str | None = self.assessment_screen.state.assessment_id
        elif page is self.entity_page:
            chosen = self.entity_page.selected_ids()
            assessment_id = chosen[0] if chosen else None
        else:
            assessment_id = getattr(page, "review_id", None)
        self._history = show_history(self.ctx, self, assessment_id)

    def show_about(self) -> None:
        from matrix_desktop.ui.about import AboutDialog

        where = str(self.services.db.location) if self.services else None
        AboutDialog(where, self).exec()

    # -- saving feedback ---------------------------------------------------------------
    def _on_ctx_saved(self, when: datetime) -> None:
        if self.ctx.retrying:  # one kept edit saved, others still waiting: never "Saved"
            self._on_ctx_save_failed("")
            return
        if self.ctx.pending:  # on a server: the next edit is on its way
            self.saved_label.setText("Saving…")
            return
        self.saved_label.setText(f"Saved {when:%H:%M:%S}")

    def _on_ctx_save_failed(self, message: str) -> None:
        pending = len(self.ctx.pending)
        self.saved_label.setText(
            f"Not saved — {pending} change(s) kept, retrying" if pending else "Not saved"
        )

    def _on_ctx_changed(self, change: Change) -> None:
        if change.external:
            # Another copy's change: refresh lists, never move away from the open page.
            if change.parts & {"status", "created", "catalog", "deleted"} or (
                self.stack.currentWidget() is self.entity_page
            ):
                self._refresh_soon.start()
            return
        if change.parts & {"status", "created", "catalog", "deleted"}:
            # Finalise or reopen: lists and counts follow; the scoring screen stays open.
            self._refresh_soon.start()

    def _refresh_in_place(self) -> None:
        """Reload the navigator, and the entity page only while it is the page shown."""
        self.navigation.load_navigator(in_place=True)
