"""The application context handed to every window: services, settings, undo stack, change signals."""

from __future__ import annotations

import datetime as _dt
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from matrix_desktop.ui.interaction import interaction

if TYPE_CHECKING:  # imported lazily: the window paints before SQLAlchemy loads
    from matrix_desktop.core.commands import Change, Command
    from matrix_desktop.services.context import Services

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

    def __init__(self, settings: QSettings | None = None):
        super().__init__()
        self.settings = settings or QSettings()
        self.undo_stack = QUndoStack(self)
        self.services: Services | None = None
        self.parent_widget = None

    def set_services(self, services: Services | None) -> None:
        if self.services is not None and self.services is not services:
            self.services.close()
        self.services = services
        self.undo_stack.clear()
        self.reloaded.emit()

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
