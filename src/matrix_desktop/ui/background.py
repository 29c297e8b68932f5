"""Run one blocking use case off the GUI thread and wait for it, the window still painting.

For a step the user must wait for before anything else can happen (restoring a damaged
database before opening it): the work runs on a thread while a modal "busy" dialog blocks
input and the event loop keeps the windows painted; the result (or the exception) comes
back to the caller as if the call had been made directly.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

T = TypeVar("T")
SHOW_AFTER_MS = 400  # quick work finishes without a dialog flashing up


class _Finished(QObject):
    """Emitted from the worker; delivered (queued) on the GUI thread, where it ends the wait."""

    done = Signal()


def run_blocking(parent: QWidget | None, label: str, func: Callable[..., T], *args: object) -> T:
    """Return func(*args), run on a worker thread; re-raises what it raised.

    func must not touch widgets. A modal busy dialog showing label appears if the work takes
    longer than a moment.
    """
    results: list[T] = []
    errors: list[BaseException] = []
    finished = _Finished()
    loop = QEventLoop()
    finished.done.connect(loop.quit, Qt.ConnectionType.QueuedConnection)

    def work() -> None:
        try:
            results.append(func(*args))
        except BaseException as exc:  # handed to the caller on the GUI thread
            errors.append(exc)
        finally:
            finished.done.emit()

    dialog = QProgressDialog(label, "", 0, 0, parent)
    dialog.setWindowTitle(label)
    dialog.setAccessibleName(label)
    dialog.setCancelButton(None)  # no cancel: the step must finish
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.setValue(0)
    worker = threading.Thread(target=work, name="ui-blocking", daemon=True)
    worker.start()
    loop.exec()
    worker.join()
    dialog.reset()
    dialog.deleteLater()
    if errors:
        raise errors[0]
    return results[0]
