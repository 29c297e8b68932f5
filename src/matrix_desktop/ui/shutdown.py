"""A clean end however the app is asked to stop: the window closed, SIGTERM, a logout.

A copy that ends without closing its database leaves the open-session marker behind, and
the next start reports a crash. A logout or a system shutdown sends SIGTERM (or SIGHUP);
Python's default for SIGTERM is to die on the spot. Here those signals close the window
instead (committing typed text, clearing the marker, releasing the lock) and quit.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier, QTimer

log = logging.getLogger(__name__)

QUIT_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class SignalQuit(QObject):
    """Turns SIGTERM/SIGHUP into a call of `stop` on the GUI thread.

    A C-level handler writes the signal's number to a socket (signal.set_wakeup_fd); Qt
    watches the socket, so the event loop wakes even while it runs no Python code.
    """

    def __init__(self, stop: Callable[[], None], parent: QObject | None = None):
        super().__init__(parent)
        self.stop = stop
        self.received: list[int] = []
        self._read, self._write = socket.socketpair()
        self._read.setblocking(False)
        self._write.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._write.fileno())
        self._previous = {sig: signal.signal(sig, _ignore) for sig in QUIT_SIGNALS}
        self.notifier = QSocketNotifier(self._read.fileno(), QSocketNotifier.Type.Read, self)
        self.notifier.activated.connect(self._on_notifier_activated)

    def _on_notifier_activated(self, *_args: object) -> None:
        try:
            data = self._read.recv(64)
        except OSError:
            return
        wanted = [n for n in data if n in {int(s) for s in QUIT_SIGNALS}]
        if wanted and not self.received:
            self.received.extend(wanted)
            log.info("signal %s: closing cleanly", wanted[0])
            QTimer.singleShot(0, self.stop)

    def uninstall(self) -> None:
        """Give the signals back to their previous handlers (tests; a second window)."""
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        signal.set_wakeup_fd(self._previous_fd)
        self.notifier.setEnabled(False)
        for sock in (self._read, self._write):
            with contextlib.suppress(OSError):
                sock.close()


def _ignore(_signum: int, _frame: object) -> None:
    """The Python-level handler does nothing: the socket carries the signal to Qt."""


def install(app, window) -> SignalQuit | None:  # type: ignore[no-untyped-def]
    """Make quitting clean for this application and its main window.

    aboutToQuit and SIGTERM/SIGHUP close the database cleanly (window.shutdown), and a
    session manager's commitDataRequest saves what is typed (window.commit_data).
    Returns the signal watcher, or None where signals cannot be watched.
    """
    app.aboutToQuit.connect(window.shutdown)
    app.commitDataRequest.connect(window.commit_data)

    def stop() -> None:
        window.shutdown()
        window.close()
        app.quit()

    try:
        return SignalQuit(stop, app)
    except (ValueError, OSError) as exc:  # not the main thread, or no sockets here
        log.warning("SIGTERM will not close cleanly: %s", exc)
        return None
