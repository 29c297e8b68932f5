"""The main window's database actions: a damaged database restored through the safety service."""

from __future__ import annotations

import shutil
import threading

from matrix_desktop.ui.main_window import MainWindow


def _corrupt(path) -> None:  # type: ignore[no-untyped-def]
    """Overwrite pages in the middle of the file (the header stays valid)."""
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        for page in range(2, size // 4096 - 1, 3):
            fh.seek(page * 4096)
            fh.write(b"\xde\xad\xbe\xef" * 200)


def test_damaged_database_is_restored_off_the_gui_thread_then_opened(
    qtbot, ctx, tmp_path, examples_template, monkeypatch, answers
):
    from matrix_desktop.services import safety
    from matrix_desktop.storage.backup import backup_database, timestamped_backup_path
    from matrix_desktop.ui.interaction import interaction

    database = tmp_path / "damaged.sqlite3"
    shutil.copyfile(examples_template, database)
    backup_database(database, timestamped_backup_path(database, "startup"))
    _corrupt(database)

    asked: list[str] = []
    monkeypatch.setattr(
        interaction, "choose", lambda parent, title, msg, options: asked.append(title) or options[0]
    )
    threads: list[threading.Thread] = []
    restore = safety.restore_damaged

    def recording(damaged):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return restore(damaged)

    monkeypatch.setattr(safety, "restore_damaged", recording)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert window.open_database(str(database))
    assert asked == ["The database is damaged"]
    assert threads and threads[0] is not threading.main_thread()
    assert window.nav_model.rowCount() == 1  # the example system is back
    assert not answers  # no error was shown


def test_restore_from_backup_runs_off_the_gui_thread(
    qtbot, ctx, tmp_path, examples_template, monkeypatch, answers
):
    from matrix_desktop.storage.backup import backup_database, timestamped_backup_path
    from matrix_desktop.ui.interaction import interaction

    database = tmp_path / "workshop.sqlite3"
    shutil.copyfile(examples_template, database)
    backup_database(database, timestamped_backup_path(database, "startup"))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert window.open_database(str(database))
    safety = ctx.opened.safety
    assert safety.backups()
    threads: list[threading.Thread] = []
    restore = safety.restore

    def recording(path):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return restore(path)

    monkeypatch.setattr(safety, "restore", recording)
    monkeypatch.setattr(interaction, "pick", lambda parent, title, label, items: 0)
    monkeypatch.setattr(interaction, "confirm", lambda parent, title, msg, ok="OK": True)
    reloads: list[bool] = []
    ctx.reloaded.connect(lambda: reloads.append(True))
    window.restore_action.trigger()
    assert threads and threads[0] is not threading.main_thread()
    assert reloads and "Restored" in window.status_label.text()
    assert window.database_actions.backup_timer.isActive()
    assert window.nav_model.rowCount() == 1  # the example system, read from the backup
    assert not answers  # no error was shown
