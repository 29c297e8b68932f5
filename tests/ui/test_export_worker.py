"""Tests for the export worker: runs off the GUI thread, reports progress, opens the file."""

from __future__ import annotations

import shutil
import sys
import threading
from functools import partial
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reports"))
from report_fixtures import ENTITY, ROUND, example_db  # noqa: E402,F401

from matrix_desktop.core.errors import NotFound  # noqa: E402

pytestmark = pytest.mark.gui


def test_the_window_stays_responsive_while_a_report_is_written(qtbot, tmp_path, example_db):  # noqa: F811
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QWidget

    from matrix_desktop.reports.models import DocumentOptions
    from matrix_desktop.services.context import open_services
    from matrix_desktop.services.reports import ReportService
    from matrix_desktop.ui.export_worker import run_export

    copy = tmp_path / "db.sqlite3"
    shutil.copy(example_db, copy)
    svc = open_services(copy, read_only=True)
    window = QWidget()
    qtbot.addWidget(window)
    opened: list[Path] = []
    threads: set[int] = set()
    progress: list[int] = []
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    reports = ReportService(svc)

    def write(progress):  # type: ignore[no-untyped-def]
        threads.add(threading.get_ident())
        return reports.write_peer_review(
            ENTITY, ROUND, tmp_path / "out.pdf", DocumentOptions(), progress=progress
        )

    try:
        job = run_export(
            window, "Peer-review report", write, tmp_path / "out.pdf", opener=opened.append
        )
        job.progress.connect(lambda p, _m: progress.append(p))
        with qtbot.waitSignal(job.finished, timeout=60_000) as blocker:
            pass
    finally:
        timer.stop()
        svc.close()
    assert Path(blocker.args[0]) == tmp_path / "out.pdf"
    qtbot.waitUntil(lambda: opened == [tmp_path / "out.pdf"])
    assert threading.get_ident() not in threads  # the work ran on a worker thread
    assert progress and progress[-1] == 100
    assert len(ticks) >= 5  # the event loop kept turning while the PDF was written


def test_a_failure_is_reported_not_raised(qtbot, tmp_path):
    from matrix_desktop.ui.export_worker import run_export

    def fail(progress):  # type: ignore[no-untyped-def]
        raise NotFound("no entity named 'Nowhere'")

    opened: list[Path] = []
    job = run_export(
        None, "Report", partial(fail), tmp_path / "x.pdf", opener=opened.append, show_errors=False
    )
    with qtbot.waitSignal(job.failed, timeout=10_000) as blocker:
        pass
    assert blocker.args == ["no entity named 'Nowhere'"]
    assert opened == []
