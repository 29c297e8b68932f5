"""Windows-only storage paths, run here by standing in for the platform calls.

Process liveness through kernel32 (loaded with use_last_error=True, so an access-denied
answer is seen), and replacing files Windows holds open (retry, then a clear message).
"""

from __future__ import annotations

import ctypes
import errno
import json
import socket
import sys

import pytest

from matrix_desktop.core.errors import StorageError
from matrix_desktop.storage import backup, files, lock
from matrix_desktop.storage.files import FileInUse, replace_file


class _Call:
    """A foreign function: callable, with the argtypes and restype ctypes would keep."""

    def __init__(self, fn):
        self.fn = fn
        self.argtypes = self.restype = None

    def __call__(self, *args):
        return self.fn(*args)


class FakeKernel32:
    """kernel32 as pid_alive uses it: one process table, and GetLastError per call."""

    def __init__(self, processes: dict[int, int | None], errors: dict[int, int] | None = None):
        self.processes = processes  # pid -> exit code (259 running) or None: not ours to open
        self.errors = errors or {}
        self.last = 0
        self.closed: list[int] = []
        self.OpenProcess = _Call(self._open_process)
        self.GetExitCodeProcess = _Call(self._exit_code)
        self.CloseHandle = _Call(self.closed.append)

    def _open_process(self, access, inherit, pid):
        assert access == lock.PROCESS_QUERY_LIMITED_INFORMATION and inherit is False
        if pid in self.errors:
            self.last = self.errors[pid]
            return None
        if pid not in self.processes:
            self.last = lock.ERROR_INVALID_PARAMETER
            return None
        if self.processes[pid] is None:
            self.last = lock.ERROR_ACCESS_DENIED
            return None
        return 1000 + pid

    def _exit_code(self, handle, code):
        code.value = self.processes[handle - 1000]
        return 1


@pytest.fixture
def windows(monkeypatch):
    """Pretend to be Windows: sys.platform, and a kernel32 loaded through a fake ctypes."""
    monkeypatch.setattr(sys, "platform", "win32")
    loaded = []

    def install(kernel: FakeKernel32) -> FakeKernel32:
        def win_dll(name, use_last_error=False):
            loaded.append((name, use_last_error))
            return kernel

        monkeypatch.setattr(ctypes, "WinDLL", win_dll, raising=False)
        monkeypatch.setattr(ctypes, "get_last_error", lambda: kernel.last, raising=False)
        monkeypatch.setattr(lock, "_kernel32_cache", [])
        return kernel

    install.loaded = loaded  # type: ignore[attr-defined]
    return install


def test_kernel32_is_loaded_so_that_last_error_is_kept(windows):
    kernel = windows(FakeKernel32({7: 259}))
    assert lock.pid_alive(7)
    assert windows.loaded == [("kernel32", True)]
    # Handles are pointer-sized: a 64-bit handle must not be cut to a C int.
    assert kernel.OpenProcess.restype is ctypes.c_void_p
    assert kernel.CloseHandle.argtypes == (ctypes.c_void_p,)


def test_windows_liveness_running_exited_missing(windows):
    kernel = windows(FakeKernel32({10: 259, 11: 0, 12: 1}))
    assert lock.pid_alive(10)
    assert not lock.pid_alive(11)  # exited with 0, handle still open somewhere
    assert not lock.pid_alive(12)
    assert not lock.pid_alive(99)  # ERROR_INVALID_PARAMETER: no such process
    assert sorted(kernel.closed) == [1010, 1011, 1012]  # every handle opened is closed


def test_another_users_process_counts_as_alive(windows):
    windows(FakeKernel32({20: None}))  # OpenProcess: ERROR_ACCESS_DENIED
    assert lock.pid_alive(20)


def test_unexpected_windows_error_keeps_the_lock(windows):
    windows(FakeKernel32({}, errors={30: 6}))  # ERROR_INVALID_HANDLE: unknown, so alive
    assert lock.pid_alive(30)


def test_lock_of_another_users_running_copy_is_not_broken(windows, tmp_path):
    windows(FakeKernel32({4242: None}))
    db = tmp_path / "m.sqlite3"
    other = {"host": socket.gethostname(), "pid": 4242, "user": "bob", "started_at": "2026"}
    lock.lock_path_for(db).write_text(json.dumps(other))
    with pytest.raises(lock.DatabaseLocked, match="bob"):
        lock.DatabaseLock(db).acquire()
    assert json.loads(lock.lock_path_for(db).read_text())["pid"] == 4242


def _open_elsewhere(fail_times: int, winerror: int = files.ERROR_SHARING_VIOLATION):
    """os.replace stand-in: refuses like Windows while another program has the file open."""
    import os

    real = os.replace
    calls = []

    def fake(src, dst):
        calls.append((src, dst))
        if len(calls) <= fail_times:
            exc = PermissionError(errno.EACCES, "The process cannot access the file")
            exc.winerror = winerror  # what Windows sets; absent on POSIX
            raise exc
        real(src, dst)

    fake.calls = calls  # type: ignore[attr-defined]
    return fake


def test_replace_retries_while_windows_has_the_file_open(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "platform", "win32")
    fake = _open_elsewhere(fail_times=2)
    monkeypatch.setattr(files.os, "replace", fake)
    slept: list[float] = []
    src, dst = tmp_path / "new", tmp_path / "report.pdf"
    src.write_text("new")
    dst.write_text("old")
    replace_file(src, dst, sleep=slept.append)
    assert dst.read_text() == "new" and not src.exists()
    assert len(fake.calls) == 3 and slept == list(files.RETRY_DELAYS[:2])


def test_replace_gives_up_with_a_clear_message(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(files.os, "replace", _open_elsewhere(fail_times=99))
    slept: list[float] = []
    with pytest.raises(FileInUse) as info:
        replace_file(tmp_path / "a", tmp_path / "report.pdf", sleep=slept.append)
    assert sum(slept) < 2.0  # short: the user is waiting
    message = str(info.value)
    assert "report.pdf" in message and "another program has the file open" in message
    assert isinstance(info.value, StorageError) and isinstance(info.value, OSError)
    assert info.value.strerror and "close it" in info.value.strerror  # what callers print


def test_permission_error_on_linux_is_raised_at_once(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(files.os, "replace", _open_elsewhere(fail_times=99))
    slept: list[float] = []
    with pytest.raises(PermissionError) as info:
        replace_file(tmp_path / "a", tmp_path / "b", sleep=slept.append)
    assert not isinstance(info.value, FileInUse) and slept == []


@pytest.fixture
def small_db(tmp_path):
    import sqlite3

    path = tmp_path / "m.sqlite3"
    con = sqlite3.connect(path)
    with con:
        con.execute("CREATE TABLE t (x)")
    con.close()
    return path


def test_backup_while_windows_holds_the_target_says_so(monkeypatch, small_db):
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(files.os, "replace", _open_elsewhere(fail_times=99))
    monkeypatch.setattr(files, "RETRY_DELAYS", (0.0,))
    target = small_db.parent / "backups" / "copy.sqlite3"
    with pytest.raises(StorageError, match="another program has the file open"):
        backup.backup_database(small_db, target)
    assert not target.exists()
    assert list(target.parent.glob("*.partial")) == []  # the temporary copy is cleaned up


def test_rotation_leaves_a_backup_windows_holds_open_for_next_time(monkeypatch, small_db):
    import datetime as dt

    db = small_db
    old = [
        backup.backup_database(db, backup.timestamped_backup_path(db, "manual", when))
        for when in (dt.datetime(2020, 1, 1), dt.datetime(2020, 1, 2))
    ]
    monkeypatch.setattr(sys, "platform", "win32")
    real_unlink = type(db).unlink

    def unlink(self, missing_ok=False):
        if self == old[0]:
            exc = PermissionError(errno.EACCES, "in use")
            exc.winerror = files.ERROR_SHARING_VIOLATION
            raise exc
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(type(db), "unlink", unlink)
    monkeypatch.setattr(backup, "ROTATION_DELAYS", (0.0,))
    from matrix_desktop.core.retention import RetentionPolicy

    newest_only = RetentionPolicy(within=dt.timedelta(0), daily=1, weekly=0, monthly=0)
    removed = backup.prune_backups(db, dt.datetime(2030, 1, 1), newest_only)
    assert old[0].exists() and old[0] not in removed  # kept for now, no error
