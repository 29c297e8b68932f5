"""The application context every window gets: services, settings, undo stack, signals."""

from __future__ import annotations

import datetime as _dt
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from matrix_desktop.ui.interaction import interaction

if TYPE_CHECKING:  # imported lazily: the window paints before SQLAlchemy loads
    from matrix_desktop.core.commands import Change, Command
    from matrix_desktop.services.context import Services
    from matrix_desktop.services.safety import OpenResult

log = logging.getLogger(__name__)


class CommandAdapter(QUndoCommand):
    """A core command on the QUndoStack; redo/undo go through the services (committed, audited)."""

    def __init__(self, ctx: AppContext, command: Command, already_done: bool):
        super().__init__(command.text)
        self._ctx = ctx
        self.command = command
        self._skip_first_redo = already_done

    def redo(self) -> None:
        if self._skip_first_redo:
            self._skip_first_redo = False
            return
        self._ctx._run(self.command, undo=False)

    def undo(self) -> None:
        self._ctx._run(self.command, undo=True)


class AppContext(QObject):
    """One per application: the open database's services, settings, the undo stack, signals.

    `changed` carries the core Change after every committed edit, undo or redo, so views
    refresh only what it names. `saved` carries the time of the commit; the "Saved"
    indicator shows only after it fires.
    """

    changed = Signal(object)  # core.commands.Change
    saved = Signal(object)  # datetime of the commit
    save_failed = Signal(str)  # a message; the edit was not saved
    reloaded = Signal()  # the whole database changed (opened, imported, restored)
    pending_changed = Signal(int)  # edits kept in memory, waiting to be saved

    RETRY_MS = 5000

    def __init__(self, settings: QSettings | None = None):
        super().__init__()
        self.settings = settings or QSettings()
        self.undo_stack = QUndoStack(self)
        self.services: Services | None = None
        self.opened: OpenResult | None = None
        self.parent_widget = None
        # Edits that could not be saved (full disk, I/O error): kept, retried, never dropped.
        self.pending: list[Command] = []
        self._retry = QTimer(self)
        self._retry.setInterval(self.RETRY_MS)
        self._retry.timeout.connect(self.retry_pending)

    def set_services(self, services: Services | None) -> None:
        """Use these services (tests, or a database opened without the safety layer)."""
        self._close_current(keep=services)
        self.services = services
        self.undo_stack.clear()
        self.reloaded.emit()

    def set_opened(self, opened: OpenResult) -> None:
        """Use a database opened by services.safety.open_for_gui (lock, checks, backups)."""
        self._close_current(keep=opened.services)
        self.opened = opened
        self.services = opened.services
        self.undo_stack.clear()
        self.reloaded.emit()

    def _close_current(self, keep: Services | None) -> None:
        if self.opened is not None and self.opened.services is not keep:
            self.opened.close()
            self.opened = None
        elif self.services is not None and self.services is not keep:
            self.services.close()

    def close_database(self) -> None:
        """Close cleanly (records a clean shutdown and releases the lock)."""
        self.retry_pending()
        self._close_current(keep=None)
        self.services = None

    def retry_pending(self) -> None:
        """Try again to save edits kept in memory after a failed write."""
        from matrix_desktop.core.errors import MatrixError

        while self.pending and self.services is not None:
            command = self.pending[0]
            try:
                change = self.services.assessments.execute(command)
            except MatrixError as exc:
                if not getattr(exc, "retryable", False):
                    self.pending.pop(0)
                    interaction.error(self.parent_widget, "Not saved", str(exc))
                    continue
                break
            self.pending.pop(0)
            self.undo_stack.push(CommandAdapter(self, command, already_done=True))
            self.saved.emit(_dt.datetime.now())
            self.changed.emit(change)
        if not self.pending:
            self._retry.stop()
        self.pending_changed.emit(len(self.pending))

    @property
    def read_only(self) -> bool:
        return self.services is None or self.services.db.read_only

    def push(self, command: Command) -> bool:
        """Apply a command now (committed) and put it on the undo stack; False if refused."""
        if not self._run(command, undo=False):
            return False
        self.undo_stack.push(CommandAdapter(self, command, already_done=True))
        return True

    def _run(self, command: Command, *, undo: bool) -> bool:
        from matrix_desktop.core.errors import MatrixError

        assert self.services is not None, "no database is open"
        svc = self.services.assessments
        try:
            change: Change = svc.revert(command) if undo else svc.execute(command)
        except MatrixError as exc:
            if getattr(exc, "retryable", False) and not undo:
                # Keep the edit in memory and retry: nothing the user entered is lost.
                self.pending.append(command)
                self._retry.start()
                self.pending_changed.emit(len(self.pending))
                message = f"{exc}\n\nThe change is kept and will be saved as soon as possible."
                self.save_failed.emit(message)
                interaction.error(self.parent_widget, "Not saved yet", message)
                return False
            self.save_failed.emit(str(exc))
            interaction.error(self.parent_widget, "Not saved", str(exc))
            return False
        except Exception as exc:  # disk full, I/O error: tell the user, keep the app alive
            log.exception("edit failed")
            message = f"The change could not be saved: {exc}"
            self.save_failed.emit(message)
            interaction.error(self.parent_widget, "Not saved", message)
            return False
        self.saved.emit(_dt.datetime.now())
        self.changed.emit(change)
        return True
