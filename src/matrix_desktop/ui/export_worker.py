"""Run a report or export off the GUI thread with progress, then open the file it wrote.

Usage from a window (the menu wiring lives in the main window)::

    from functools import partial
    job = run_export(
        self, "Peer-review report",
        partial(reports.write_peer_review, "Barnsley", "2021/22 Q2", path),
        path,
    )

``func`` is any callable that accepts ``progress=`` (a ``(fraction, message)`` callback) and
writes ``path``; every ``ReportService.write_*`` method fits.  It runs on the global
QThreadPool and must not touch widgets.  The returned ``ExportJob`` emits ``progress``,
``finished(path)`` and ``failed(message)`` on the GUI thread; a progress dialog follows it, and
the file opens with the desktop's default application when ``open_when_done`` is true (when
none can open it, a message gives its full path, with Show in folder and Copy path).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from matrix_desktop.core.errors import MatrixError

log = logging.getLogger(__name__)

ExportFunc = Callable[..., object]
Opener = Callable[[Path], object]


def open_file(path: Path) -> bool:
    """Open a file with the desktop's default application; returns False if none could.

    matrix_desktop.opener starts it the system's own way (os.startfile, open, xdg-open)
    without the bundle's library and Qt plugin paths; Qt's opener is the fallback.
    """
    from matrix_desktop.opener import open_path

    return open_path(path) or QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class ExportJob(QObject):
    """Signals of one export; emitted from the worker, delivered on the GUI thread."""

    progress = Signal(int, str)  # percent, message
    finished = Signal(str)  # the path written
    failed = Signal(str)  # a message for the user

    def __init__(self, title: str, path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.title = title
        self.path = path


class _Runnable(QRunnable):
    def __init__(self, job: ExportJob, func: ExportFunc):
        super().__init__()
        self.job = job
        self.func = func
        self.setAutoDelete(True)

    def run(self) -> None:
        def report(fraction: float, message: str) -> None:
            self.job.progress.emit(max(0, min(100, round(fraction * 100))), message)

        try:
            result = self.func(progress=report)
        except MatrixError as exc:
            self.job.failed.emit(str(exc))
            return
        except Exception as exc:  # anything else is a bug; say so rather than hang the dialog
            log.exception("export %s failed", self.job.title)
            self.job.failed.emit(f"{self.job.title} could not be written: {exc}")
            return
        written = result[0] if isinstance(result, list) and result else result
        self.job.finished.emit(str(written if isinstance(written, Path) else self.job.path))


def start_export(
    title: str, func: ExportFunc, path: str | Path, pool: QThreadPool | None = None
) -> ExportJob:
    """Start func on a worker thread now and return its job (no dialog, nothing opened).

    It starts at once: connect to the job's signals with care (run_export does not race).
    """
    job = ExportJob(title, Path(path))
    (pool or QThreadPool.globalInstance()).start(_Runnable(job, func))
    return job


class _Controller(QObject):
    """Follows one job on the GUI thread: moves the progress dialog, opens or reports."""

    def __init__(
        self,
        dialog: QProgressDialog,
        window: QWidget | None,
        opener: Opener | None,
        show_errors: bool,
    ):
        super().__init__(dialog)
        self.dialog, self.window = dialog, window
        self.opener, self.show_errors = opener, show_errors

    @Slot(int, str)
    def _on_job_progress(self, percent: int, message: str) -> None:
        self.dialog.setLabelText(message)
        self.dialog.setValue(percent)

    @Slot(str)
    def _on_job_finished(self, written: str) -> None:
        from matrix_desktop.ui.interaction import interaction

        self.dialog.setValue(100)
        self.dialog.close()
        if self.opener is not None and self.opener(Path(written)) is False:
            # Nothing on this computer opens it: say where it is, offer its folder or path.
            interaction.file_written(self.window, self.dialog.windowTitle(), written, False)

    @Slot(str)
    def _on_job_failed(self, message: str) -> None:
        self.dialog.close()
        if self.show_errors:
            QMessageBox.warning(self.window, self.dialog.windowTitle(), message)


def run_export(
    parent: QWidget | None,
    title: str,
    func: ExportFunc,
    path: str | Path,
    *,
    open_when_done: bool = True,
    opener: Opener = open_file,
    show_errors: bool = True,
) -> ExportJob:
    """Run an export on a worker with a progress dialog; open the file when it is written.

    The window stays responsive: only signals cross back to the GUI thread.
    """
    job = ExportJob(title, Path(path))
    dialog = QProgressDialog(f"{title}…", "", 0, 100, parent)
    dialog.setWindowTitle(title)
    dialog.setAccessibleName(f"{title} progress")
    dialog.setCancelButton(None)  # reportlab cannot be interrupted mid-layout
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setValue(0)
    controller = _Controller(dialog, parent, opener if open_when_done else None, show_errors)
    job.setParent(controller)  # the job lives as long as the dialog
    # Bound slots of a GUI-thread QObject: Qt queues the worker's signals onto the GUI thread.
    job.progress.connect(controller._on_job_progress)
    job.finished.connect(controller._on_job_finished)
    job.failed.connect(controller._on_job_failed)
    job.dialog = dialog  # type: ignore[attr-defined]  # the caller's job keeps the dialog alive
    # Start once control returns to the event loop, so a caller connecting to the job's
    # signals right after this returns cannot miss one (a fast failure, say).
    runnable = _Runnable(job, func)
    QTimer.singleShot(0, controller, lambda: QThreadPool.globalInstance().start(runnable))
    return job
