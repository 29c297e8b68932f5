"""On a server, edits are saved on a worker thread, one at a time, in the order they were made.

A commit over the network takes round trips (tens of milliseconds each, seconds when the
link is poor); on the GUI thread that would freeze the window at every key press. Here the
edit joins the context's queue of edits not yet saved (AppContext.pending) and returns at
once; a worker saves the head of the queue through the same edit path
(AssessmentService.execute: compare-and-set, audited) and hands the outcome back to the GUI
thread, which pushes the undo step, says "Saved" and starts the next one. A failure that
waiting can cure (the server out of reach) leaves the edit at the head of the queue and
retries it later; a conflict asks theirs or mine, as on SQLite.
"""

from __future__ import annotations

import datetime as _dt
import threading
from itertools import count
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from matrix_desktop.ui.interaction import interaction

if TYPE_CHECKING:
    from matrix_desktop.core.commands import Command


class BackgroundWriter(QObject):
    """Saves the context's queued edits on a worker thread (used when the database is a server)."""

    _written = Signal(object)  # (token, command, change, error), from the worker

    def __init__(self, ctx: Any):  # the AppContext (not imported: it imports this module)
        super().__init__(ctx)
        self.ctx = ctx
        self.failing = False  # the last try failed and will be retried
        self._thread: threading.Thread | None = None
        self._token: int | None = None
        self._result: tuple | None = None
        self._tokens = count()
        # (target, field) -> (value before, value after) for edits saved in this burst: a
        # queued edit made before an earlier one was saved saw the value before it.
        self._written_values: dict[tuple[object, str], tuple[object, object]] = {}
        self._written.connect(self._on_written)

    @property
    def active(self) -> bool:
        """True when the open database is a server (edits go through this writer)."""
        services = self.ctx.services
        return services is not None and not services.db.location.is_sqlite

    @property
    def busy(self) -> bool:
        return self._thread is not None

    def kick(self) -> None:
        """Start saving the first queued edit, unless one is being saved already."""
        ctx = self.ctx
        if self._thread is not None or not ctx.pending or ctx.services is None:
            return
        command = ctx.pending[0]
        self._rebase(command)
        svc = ctx.services.assessments
        token = next(self._tokens)
        self._token = token

        def work() -> None:
            try:
                result = (token, command, svc.execute(command), None)
            except BaseException as exc:  # handed to the GUI thread
                result = (token, command, None, exc)
            self._result = result
            self._written.emit(result)  # queued: delivered on the GUI thread

        self._thread = threading.Thread(target=work, name="edit-writer", daemon=True)
        self._thread.start()

    def wait(self) -> None:
        """Let an edit being saved finish, and take its outcome now (closing, quitting)."""
        thread = self._thread
        if thread is None:
            return
        thread.join()
        if self._result is not None:
            self._on_written(self._result)

    def _rebase(self, command: Command) -> None:
        seen = getattr(command, "seen", None)
        target = getattr(command, "target", None)
        if not isinstance(seen, dict) or target is None:
            return
        for name, value in seen.items():
            written = self._written_values.get((target, name))
            if written is not None and value == written[0]:
                seen[name] = written[1]

    def _on_written(self, result: tuple) -> None:
        from matrix_desktop.core.errors import EditConflict, MatrixError

        token, command, change, error = result
        if token != self._token:
            return  # already taken by wait()
        self._token, self._thread, self._result = None, None, None
        ctx = self.ctx
        if not ctx.pending or ctx.pending[0] is not command:
            return  # the database was closed or replaced meanwhile
        if error is None:
            ctx.pending.pop(0)
            self.failing = False
            for name in getattr(command, "after", {}) or {}:
                self._written_values[(command.target, name)] = (  # type: ignore[attr-defined]
                    command.before.get(name),  # type: ignore[attr-defined]
                    command.after[name],  # type: ignore[attr-defined]
                )
            ctx.push_done(command)
            self._done_one()
            ctx.saved.emit(_dt.datetime.now())
            ctx.changed.emit(change)
        elif isinstance(error, EditConflict):
            ctx.pending.pop(0)
            self._done_one()
            applied = ctx._resolve(command, error, undo=False)
            if applied is not None:
                ctx.push_done(applied)
        elif isinstance(error, MatrixError) and getattr(error, "retryable", False):
            first = not self.failing
            self.failing = True
            ctx._note_kept(command)
            message = f"{error}\n\nThe change is kept and will be saved as soon as possible."
            ctx.save_failed.emit(message)
            if first and getattr(error, "reason", "") != "offline":
                interaction.error(ctx.parent_widget, "Not saved yet", message)
            ctx._retry_later(first)
            ctx.pending_changed.emit(len(ctx.pending))
            return
        else:
            ctx.pending.pop(0)
            self._done_one()
            message = (
                str(error)
                if isinstance(error, MatrixError)
                else f"The change could not be saved: {error}"
            )
            ctx.save_failed.emit(message)
            interaction.error(ctx.parent_widget, "Not saved", message)
            ctx._show_stored(command)
        self.kick()

    def _done_one(self) -> None:
        ctx = self.ctx
        if not ctx.pending:
            self._written_values.clear()
            ctx._all_saved()
        ctx.pending_changed.emit(len(ctx.pending))
