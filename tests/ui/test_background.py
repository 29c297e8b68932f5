"""run_blocking: a use case runs on a worker thread while the GUI thread waits, painting."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QWidget

from matrix_desktop.ui.background import run_blocking


def test_returns_the_result_computed_off_the_gui_thread(qapp):
    seen: list[threading.Thread] = []

    def work(a: int, b: int) -> int:
        seen.append(threading.current_thread())
        return a + b

    assert run_blocking(None, "Adding", work, 2, 3) == 5
    assert seen and seen[0] is not threading.main_thread()


def test_hands_the_exception_back_to_the_caller(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)

    def fail() -> None:
        raise ValueError("no backup today")

    with pytest.raises(ValueError, match="no backup today"):
        run_blocking(parent, "Failing", fail)


def test_slow_work_shows_a_modal_busy_dialog_meanwhile(qtbot, monkeypatch):
    from PySide6.QtWidgets import QApplication, QProgressDialog

    from matrix_desktop.ui import background

    monkeypatch.setattr(background, "SHOW_AFTER_MS", 0)
    parent = QWidget()
    qtbot.addWidget(parent)
    release = threading.Event()
    shown: list[str] = []

    def look() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)]
        shown.extend(d.labelText() for d in dialogs if d.isVisible())
        release.set()

    from PySide6.QtCore import QTimer

    QTimer.singleShot(50, look)
    assert run_blocking(parent, "Restoring the backup…", lambda: release.wait(10)) is True
    assert shown == ["Restoring the backup…"]
