"""Composition root: builds the AppContext and the main window, paints, then opens the database."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence

_T0 = time.monotonic()


def _probe(event: str) -> None:
    """Print start-up milestones for benchmarks/startup.py (only when it asks)."""
    if os.environ.get("MATRIX_DESKTOP_STARTUP_PROBE"):
        print(f"startup {event} {time.monotonic():.6f}", flush=True)


def _check_display() -> str | None:
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM")
    ):
        return (
            "matrix-desktop: no display found (DISPLAY and WAYLAND_DISPLAY are unset).\n"
            "Run it in a desktop session, or under a virtual display: xvfb-run matrix-desktop\n"
            "Command-line use needs no display: matrix-desktop --help"
        )
    return None


def _quick_navigation(database: str | None):
    """Return the navigator's data read with stdlib sqlite3, or None to take the full path."""
    from pathlib import Path

    from matrix_desktop.paths import default_database_path
    from matrix_desktop.storage.quick import read_navigation

    target = database or os.environ.get("MATRIX_DESKTOP_DATABASE") or str(default_database_path())
    if "://" in target:
        return None
    return read_navigation(Path(target).expanduser())


def _make_background_import():
    import threading

    from PySide6.QtCore import QObject, Signal

    class BackgroundImport(QObject):
        """Imports the storage and services layers on a thread; `done` arrives on the GUI thread."""

        done = Signal()

        def start(self) -> None:
            threading.Thread(target=self._run, name="import-services", daemon=True).start()

        def _run(self) -> None:
            import matrix_desktop.services.context  # noqa: F401

            self.done.emit()
            # Warm the chart modules too, so the first radar does not wait for matplotlib.
            import matrix_desktop.charts.radar  # noqa: F401
            import matrix_desktop.charts.trend  # noqa: F401

    return BackgroundImport()


def _window_icon():
    """Return the application icon (a cheap file read: no heavy imports before the first paint)."""
    from PySide6.QtGui import QIcon

    from matrix_desktop.paths import icons_dir

    icon = QIcon()
    for name in ("matrix-desktop.png", "matrix-desktop-64.png", "matrix-desktop-32.png"):
        path = icons_dir() / name
        if path.is_file():
            icon.addFile(str(path))
    return icon


def _configure_application(app) -> None:
    from matrix_desktop import APP_DISPLAY_NAME, APP_NAME, ORG_NAME, __version__

    app.setOrganizationName(ORG_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_DISPLAY_NAME)
    app.setApplicationVersion(__version__)
    from matrix_desktop.ui import focus

    focus.install(app)  # a thick focus frame, and the focused control scrolled into view


def gui_self_check(database: os.PathLike[str], settings_file: os.PathLike[str]) -> str:
    """Build the main window on a database, render it off screen; returns what it saw.

    Used by `--self-check`: proves the Qt libraries and platform plugins load, which a
    pruned bundle could otherwise lose without anyone noticing until a workshop, and that
    Qt's text services work (text_services_self_check: the lean ICU data on Linux).
    """
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from matrix_desktop.ui.context import AppContext
    from matrix_desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    _configure_application(app)
    app.setWindowIcon(_window_icon())
    if app.windowIcon().isNull():
        raise RuntimeError("the application icon did not load")
    ctx = AppContext(QSettings(str(settings_file), QSettings.Format.IniFormat))
    window = MainWindow(ctx)
    try:
        if not window.open_database(str(database)):
            raise RuntimeError(f"the window could not open {database}")
        window.refresh()
        image = window.grab().toImage()
        if image.isNull() or image.width() == 0:
            raise RuntimeError("the main window rendered nothing")
        entities = window.nav_model.rowCount()
        text = text_services_self_check()
        return (
            f"Qt {_qt_version()} on '{app.platformName()}', "
            f"{image.width()}x{image.height()} window, {entities} system(s) listed; {text}"
        )
    finally:
        ctx.set_services(None)
        window.deleteLater()
        app.processEvents()


def text_services_self_check() -> str:
    """Check the Qt text services a lean bundle could lose (on Linux: the trimmed ICU data).

    Sorting in file dialogs (QCollator, numeric), a Windows code page and the time-zone
    tables; used by `--self-check`. Returns what it saw; raises RuntimeError on a failure.
    """
    import functools

    from PySide6.QtCore import QCollator, QLocale, QStringDecoder, QTimeZone

    collator = QCollator(QLocale("en_GB"))
    collator.setNumericMode(True)
    words = ["item 10", "Zoë", "item 2", "apple", "Äpfel"]
    ordered = sorted(words, key=functools.cmp_to_key(collator.compare))
    if ordered != ["Äpfel", "apple", "item 2", "item 10", "Zoë"]:  # accents ignored, f < p
        raise RuntimeError(f"collation sorted {words} as {ordered}")
    if not QStringDecoder("windows-1252").isValid():
        raise RuntimeError("the windows-1252 converter is missing")
    if not QTimeZone(b"Europe/London").isValid():
        raise RuntimeError("the time-zone Europe/London is unknown")
    return "collation (numeric, accents), windows-1252, time zones"


def _qt_version() -> str:
    from PySide6.QtCore import qVersion

    return str(qVersion())


def run_gui(
    database: str | None = None, *, read_only: bool = False, import_files: Sequence[str] = ()
) -> int:
    """Show the main window at once, then open the database; returns the exit status.

    import_files (exchange files opened from Explorer or Finder) go through the import
    preview once the database is open.
    """
    problem = _check_display()
    if problem:
        print(problem, file=sys.stderr)
        return 2
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")  # skips an entry-point scan
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from matrix_desktop.ui.context import AppContext
    from matrix_desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    _configure_application(app)
    home = os.environ.get("MATRIX_DESKTOP_HOME")
    if home:  # a private home keeps its settings with it (tests, benchmarks, portable use)
        from PySide6.QtCore import QSettings

        ctx = AppContext(QSettings(os.path.join(home, "settings.ini"), QSettings.Format.IniFormat))
    else:
        ctx = AppContext()
    window = MainWindow(ctx)

    class _PaintWatch(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                obj.removeEventFilter(self)
                _probe("painted")
                QTimer.singleShot(0, _open)
            return False

    loader = _make_background_import()

    def _open() -> None:
        app.setWindowIcon(_window_icon())  # after the first paint: a file read it need not wait for
        quick = _quick_navigation(database)
        if quick is not None:
            window.populate_navigator(quick)
            _probe("data")
            loader.done.connect(lambda: _open_fully(data_shown=True))
            loader.start()
        else:
            _open_fully(data_shown=False)

    def _open_fully(data_shown: bool) -> None:
        window.open_database(database, read_only=read_only)
        if not data_shown:
            _probe("data")
        _probe("services")
        if import_files and window.services is not None:
            QTimer.singleShot(0, lambda: window.import_paths(list(import_files)))
        if os.environ.get("MATRIX_DESKTOP_EXIT_AFTER_STARTUP"):
            if window.entity_page.progress.progress is not None or window.current_entity_id is None:
                QTimer.singleShot(0, app.quit)
            else:
                window.radar_shown.connect(lambda: QTimer.singleShot(0, app.quit))

    window.radar_shown.connect(lambda: _probe("radar"))
    from matrix_desktop.ui import shutdown

    shutdown.install(app, window)  # SIGTERM, a logout and quitting all close the database
    watch = _PaintWatch()
    window.installEventFilter(watch)
    window.show()
    return int(app.exec())
