"""The application context every window gets: services, settings, undo stack, signals."""

from __future__ import annotations

import datetime as _dt
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from matrix_desktop.ui.interaction import interaction
from matrix_desktop.ui.server_writes import BackgroundWriter

if TYPE_CHECKING:  # imported lazily: the window paints before SQLAlchemy loads
    from collections.abc import Callable

    from matrix_desktop.core.access import Access
    from matrix_desktop.core.commands import Change, Command
    from matrix_desktop.core.model import Assessment
    from matrix_desktop.services.context import Services
    from matrix_desktop.services.feed import ChangeFeed
    from matrix_desktop.services.safety import OpenResult
    from matrix_desktop.services.unsaved import LastSeen

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
        applied = self._ctx._run(self.command, undo=False)
        if applied is not None:
            self.command = applied

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
    conflicted = Signal(object)  # core.errors.EditConflict, before the user chooses
    _feed_read = Signal(object)  # (feed, changes) read on a worker (on a server)

    RETRY_MS = 2000  # the first retry of a kept edit; each failure doubles the wait ...
    RETRY_MAX_MS = 30000  # ... up to this
    FEED_MS = 250  # another copy's change shows within about this long

    def __init__(self, settings: QSettings | None = None):
        super().__init__()
        self.settings = settings or QSettings()
        self.undo_stack = QUndoStack(self)
        self.services: Services | None = None
        self.opened: OpenResult | None = None
        self.parent_widget = None
        # Edits that could not be saved (full disk, I/O error): kept, retried, never dropped.
        self.pending: list[Command] = []
        # Per assessment: where what was last read of it comes from (the scoring screen),
        # and a copy taken when its first edit was kept (for an exchange file on quit).
        self.seen_sources: dict[str, Callable[[], LastSeen]] = {}
        self.kept_seen: dict[str, LastSeen] = {}
        # On a server, edits are saved on a worker, in order (the window never waits).
        self.writer = BackgroundWriter(self)
        self._retry = QTimer(self)
        self._retry.setInterval(self.RETRY_MS)
        self._retry.timeout.connect(self.retry_pending)
        # Other copies' committed changes, applied to open screens (services.feed).
        self.feed = None
        self._feed_timer = QTimer(self)
        self._feed_timer.setInterval(self.FEED_MS)
        self._feed_timer.timeout.connect(self.poll_feed)
        self._feed_reading = False  # a worker is reading the feed (on a server)
        self._feed_read.connect(self._on_feed_read)

    def set_services(self, services: Services | None) -> None:
        """Use these services (tests, or a database opened without the safety layer)."""
        self._close_current(keep=services)
        self.services = services
        self.undo_stack.clear()
        self._start_feed()
        self.reloaded.emit()

    def set_opened(self, opened: OpenResult) -> None:
        """Use a database opened by services.safety.open_for_gui (lock, checks, backups)."""
        self._close_current(keep=opened.services)
        self.opened = opened
        self.services = opened.services
        self.undo_stack.clear()
        self._start_feed()
        self.reloaded.emit()

    def _start_feed(self) -> None:
        from matrix_desktop.services.feed import ChangeFeed

        self._stop_feed()
        if self.services is None:
            return
        try:
            self.feed = ChangeFeed(
                self.services.db, self.services.assessments, self.services.catalog
            )
        except Exception:  # noqa: BLE001 - the app works without live updates
            log.exception("live updates are off: the change feed could not start")
            return
        self._feed_timer.start()

    def _stop_feed(self) -> None:
        self._feed_timer.stop()
        if self.feed is not None:
            self.feed.close()
            self.feed = None

    @contextmanager
    def feed_paused(self) -> Iterator[None]:
        """Hold the change feed still meanwhile (a backup restored on a worker thread)."""
        active = self._feed_timer.isActive()
        self._feed_timer.stop()
        try:
            yield
        finally:
            if active and self.feed is not None:
                self._feed_timer.start()

    def poll_feed(self) -> None:
        """Apply changes other copies committed since the last look (a timer calls this)."""
        if self.feed is None or self.services is None:
            return
        if self.services.db.closed:  # closed behind this context's back: stop following it
            self._stop_feed()
            return
        if self.feed.reads_over_network:
            # On a server the read takes round trips: a worker reads, the GUI thread applies.
            if self._feed_reading or not self.feed.changed_outside():
                return
            self._feed_reading = True
            threading.Thread(
                target=self._read_feed, args=(self.feed,), name="change-feed-read", daemon=True
            ).start()
            return
        try:
            changes = self.feed.poll()
        except Exception as exc:  # noqa: BLE001 - a passing failure; try on the next tick
            log.info("change feed poll failed: %s", exc)
            return
        self._apply_feed(changes)

    def _read_feed(self, feed: ChangeFeed) -> None:
        """On a worker thread: read what others changed; hand it to the GUI thread."""
        try:
            changes = feed.read_changes()
        except Exception as exc:  # noqa: BLE001 - a passing failure (link down): next time
            log.info("change feed read failed: %s", exc)
            feed.changed_outside_again()
            changes = []
        self._feed_read.emit((feed, changes))  # queued: delivered on the GUI thread

    def _on_feed_read(self, result: tuple[ChangeFeed, list[Change]]) -> None:
        feed, changes = result
        self._feed_reading = False
        if feed is self.feed and self.services is not None:
            self._apply_feed(changes)

    def _apply_feed(self, changes: list[Change]) -> None:
        assert self.services is not None
        for change in changes:
            self.services.assessments.announce(change)  # views subscribed to the service
            self.changed.emit(change)

    def _close_current(self, keep: Services | None) -> None:
        self._stop_feed()
        if self.opened is not None and self.opened.services is not keep:
            self.opened.close()
            self.opened = None
        elif self.services is not None and self.services is not keep:
            self.services.close()

    def close_database(self) -> None:
        """Close cleanly (records a clean shutdown and releases the lock)."""
        self.retry_pending(wait=True)
        self._close_current(keep=None)
        self.services = None

    def retry_pending(self, wait: bool = False) -> None:
        """Try again to save edits kept in memory after a failed write.

        On a server the worker saves them (the window goes on); wait=True saves them
        here and now (closing, quitting).
        """
        from matrix_desktop.core.errors import EditConflict, MatrixError

        if self.writer.active and not wait:
            self.writer.kick()
            return
        self.writer.wait()
        while self.pending and self.services is not None:
            command = self.pending[0]
            try:
                change = self.services.assessments.execute(command)
            except EditConflict as exc:  # changed by someone else while it waited: ask
                self.pending.pop(0)
                applied = self._resolve(command, exc, undo=False)
                if applied is not None:
                    self.undo_stack.push(CommandAdapter(self, applied, already_done=True))
                continue
            except MatrixError as exc:
                if not getattr(exc, "retryable", False):
                    self.pending.pop(0)
                    interaction.error(self.parent_widget, "Not saved", str(exc))
                    continue
                # Still failing (the server still out of reach): wait longer before the next try.
                self._retry.setInterval(min(self._retry.interval() * 2, self.RETRY_MAX_MS))
                self.save_failed.emit(str(exc))
                break
            self.pending.pop(0)
            self.undo_stack.push(CommandAdapter(self, command, already_done=True))
            self.saved.emit(_dt.datetime.now())
            self.changed.emit(change)
        if not self.pending:
            self._retry.stop()
            self._retry.setInterval(self.RETRY_MS)
            self.kept_seen.clear()
        self.pending_changed.emit(len(self.pending))

    def push_done(self, command: Command) -> None:
        """Put an edit already saved (by the server writer) on the undo stack."""
        self.undo_stack.push(CommandAdapter(self, command, already_done=True))

    def _keep(self, command: Command) -> None:
        """Add an edit to those kept; note what its assessment was as last read."""
        self.pending.append(command)
        self._note_kept(command)

    def _note_kept(self, command: Command) -> None:
        """Note what a kept edit's assessment was as last read (for a file on quit)."""
        aid = command.assessment_id
        source = self.seen_sources.get(aid)
        if aid not in self.kept_seen and source is not None:
            self.kept_seen[aid] = source()

    def _retry_later(self, first: bool) -> None:
        """Retry the kept edits after a while, waiting longer after each failure."""
        interval = self.RETRY_MS if first else min(self._retry.interval() * 2, self.RETRY_MAX_MS)
        self._retry.setInterval(interval)
        self._retry.start()

    def _all_saved(self) -> None:
        self._retry.stop()
        self._retry.setInterval(self.RETRY_MS)
        self.kept_seen.clear()

    @property
    def retrying(self) -> bool:
        """True when edits are kept because saving failed (not merely waiting their turn)."""
        return bool(self.pending) and (not self.writer.active or self.writer.failing)

    def write_kept(self, path: str) -> str:
        """Write the edits kept in memory to an exchange file; returns its path."""
        from matrix_desktop.services.unsaved import write_kept_edits

        return str(write_kept_edits(self.pending, self.kept_seen, path))

    @property
    def read_only(self) -> bool:
        return self.services is None or self.services.db.read_only

    @property
    def access(self) -> Access | None:
        """On a server: what the login's role may do (None: a local file, or nothing open)."""
        return None if self.services is None else self.services.db.access

    def role_refusal(self, assessment: Assessment | None = None) -> str | None:
        """Why the server role may not change this assessment (any, with None); None if it may."""
        access = self.access
        if access is None:
            return None
        allowed = access.may_edit_any if assessment is None else access.may_edit(assessment)
        return None if allowed else access.refusal()

    def push(self, command: Command) -> bool:
        """Apply a command now (committed) and put it on the undo stack; False if refused.

        An edit that cannot be saved yet (the server out of reach, a full disk) is kept and
        retried: not refused, so True; the undo stack gets it once it is saved.
        """
        if self.writer.active:
            # A server: saved on a worker, after any edits still waiting, in the order made.
            self.pending.append(command)
            self.pending_changed.emit(len(self.pending))
            self.writer.kick()
            return True
        if self.pending:
            # Earlier edits wait to be saved: this one goes after them, in the order made.
            self._keep(command)
            self.retry_pending()
            return True
        applied = self._run(command, undo=False)
        if applied is None:
            return any(kept is command for kept in self.pending)
        self.undo_stack.push(CommandAdapter(self, applied, already_done=True))
        return True

    def _run(self, command: Command, *, undo: bool) -> Command | None:
        """Apply (or undo) a command; returns the command that stands applied, None if refused.

        A conflict (someone else changed the field since it was shown) overwrites nothing:
        the user sees theirs and mine and chooses; keeping mine applies a new edit checked
        against theirs, which is then the command that stands.
        """
        from matrix_desktop.core.errors import EditConflict, MatrixError

        assert self.services is not None, "no database is open"
        svc = self.services.assessments
        try:
            change: Change = svc.revert(command) if undo else svc.execute(command)
        except EditConflict as exc:
            return self._resolve(command, exc, undo=undo)
        except MatrixError as exc:
            if getattr(exc, "retryable", False) and not undo:
                # Keep the edit in memory and retry: nothing the user entered is lost.
                self._keep(command)
                self._retry.setInterval(self.RETRY_MS)
                self._retry.start()
                self.pending_changed.emit(len(self.pending))
                message = f"{exc}\n\nThe change is kept and will be saved as soon as possible."
                self.save_failed.emit(message)
                if getattr(exc, "reason", "") != "offline":
                    # A server out of reach is shown by the save label alone: a dialog at
                    # every key press while the link is down would stop the workshop.
                    interaction.error(self.parent_widget, "Not saved yet", message)
                return None
            self.save_failed.emit(str(exc))
            interaction.error(self.parent_widget, "Not saved", str(exc))
            return None
        except Exception as exc:  # disk full, I/O error: tell the user, keep the app alive
            log.exception("edit failed")
            message = f"The change could not be saved: {exc}"
            self.save_failed.emit(message)
            interaction.error(self.parent_widget, "Not saved", message)
            return None
        self.saved.emit(_dt.datetime.now())
        self.changed.emit(change)
        return command

    def _resolve(self, command: Command, exc, *, undo: bool) -> Command | None:
        """Show theirs and mine for a conflict and apply the user's choice."""
        from matrix_desktop.core.errors import MatrixError

        assert self.services is not None
        svc = self.services.assessments
        message = (
            f"{exc}\n\nKeep mine replaces their value with yours; take theirs keeps "
            "their value and drops yours."
        )
        self.conflicted.emit(exc)
        choice = interaction.choose(
            self.parent_widget, "Changed by someone else", message, ["Keep mine", "Take theirs"]
        )
        if choice != "Keep mine" or exc.command is None:
            self.save_failed.emit(
                "Not saved: kept the other person's change ("
                + ", ".join(c.label for c in exc.conflicts)
                + ")."
            )
            self._show_stored(command)
            return None
        forced = exc.command.keep_mine(exc.conflicts)
        try:
            change = svc.execute(forced)
        except MatrixError as again:  # a third change meanwhile: ask again, from the top
            self.save_failed.emit(str(again))
            interaction.error(self.parent_widget, "Not saved", str(again))
            return None
        if undo:
            # The undo stands as this forced edit: redo returns to what it replaced.
            command.seen, command.new = dict(forced.after), dict(forced.before)  # type: ignore[attr-defined]
            result = command
        else:
            result = forced
        self.saved.emit(_dt.datetime.now())
        self.changed.emit(change)
        return result

    def _show_stored(self, command: Command) -> None:
        """Ask views to show the stored values again after a refused edit."""
        from matrix_desktop.core.commands import Change

        aid = getattr(command, "assessment_id", "")
        if aid:
            keys = {command.domain_key} if command.domain_key else set()
            self.changed.emit(
                Change(aid, frozenset(keys), frozenset({"assessment", "rating"}), external=True)
            )
