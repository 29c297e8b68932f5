"""One writer per database: a lock file beside it naming the host, process, user and start time."""

from __future__ import annotations

import datetime as _dt
import errno
import getpass
import json
import os
import socket
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from matrix_desktop.core.dates import since_text
from matrix_desktop.core.errors import StorageError
from matrix_desktop.storage.files import replace_file


@dataclass(frozen=True)
class LockHolder:
    """Who holds a database: read from (or written to) the lock file."""

    host: str
    pid: int
    user: str
    started_at: str  # ISO 8601, local time with offset
    app: str = "matrix-desktop"

    def describe(self) -> str:
        """Return e.g. "alice on LAPTOP-3 (process 4120) since 10:15" (a day named if not today)."""
        since = since_text(self.started_at)
        return f"{self.user} on {self.host} (process {self.pid}) since {since}"


class DatabaseLocked(StorageError):
    """Another copy of the app is writing to this database."""

    def __init__(self, database: Path, holder: LockHolder | None, lock_path: Path):
        self.database = database
        self.holder = holder
        self.lock_path = lock_path
        who = holder.describe() if holder else "another copy of matrix-desktop (unreadable lock)"
        super().__init__(
            f"{database}: is open in another copy of matrix-desktop: {who}. "
            "Open it read-only, or close the other copy first."
        )


def lock_path_for(database: Path) -> Path:
    """Return the lock file's path: `<database>.lock` beside the database."""
    return database.with_name(database.name + ".lock")


def _user() -> str:
    try:
        return getpass.getuser() or "unknown"
    except Exception:  # no user name on some locked-down machines
        return "unknown"


def this_process() -> LockHolder:
    """Return the holder record for the running process."""
    return LockHolder(
        host=socket.gethostname(),
        pid=os.getpid(),
        user=_user(),
        started_at=_dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    )


# Windows: OpenProcess / GetExitCodeProcess (kernel32).
PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
STILL_ACTIVE = 259
ERROR_ACCESS_DENIED = 5  # the process exists but belongs to someone else (another user)
ERROR_INVALID_PARAMETER = 87  # no process has this id


class _Kernel32:
    """The three kernel32 calls pid_alive needs, with the thread's last error beside them.

    kernel32 must be loaded with use_last_error=True: ctypes.get_last_error() reads ctypes'
    private copy of GetLastError, which only such a library fills in (with ctypes.windll it
    is always 0, so a process of another user looked dead and its lock was broken).
    """

    def __init__(self, ctypes_module: Any = None):
        import ctypes

        ct = ctypes_module or ctypes
        dll = ct.WinDLL("kernel32", use_last_error=True)
        handle, dword, bool_ = ct.c_void_p, ct.c_ulong, ct.c_int
        dll.OpenProcess.argtypes = (dword, bool_, dword)
        dll.OpenProcess.restype = handle
        dll.GetExitCodeProcess.argtypes = (handle, ct.POINTER(dword))
        dll.GetExitCodeProcess.restype = bool_
        dll.CloseHandle.argtypes = (handle,)
        dll.CloseHandle.restype = bool_
        self.dll = dll
        self.last_error = ct.get_last_error
        self.dword = dword


_kernel32_cache: list[_Kernel32] = []


def _kernel32() -> _Kernel32:
    if not _kernel32_cache:
        _kernel32_cache.append(_Kernel32())
    return _kernel32_cache[0]


def _pid_alive_windows(pid: int, api: _Kernel32) -> bool:
    """Return True unless Windows says no process has this id, or that it has exited.

    In doubt (an unexpected error) the process counts as alive: a lock wrongly kept is
    broken by the user in one click; a lock wrongly broken lets two copies write.
    """
    handle = api.dll.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
    if not handle:
        error = api.last_error()
        if error == ERROR_ACCESS_DENIED:  # someone else's process: it exists
            return True
        return error != ERROR_INVALID_PARAMETER
    try:
        code = api.dword()
        if not api.dll.GetExitCodeProcess(handle, code):
            return True
        return code.value == STILL_ACTIVE
    finally:
        api.dll.CloseHandle(handle)


def pid_alive(pid: int) -> bool:
    """Return True if a process with this id exists on this machine."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _pid_alive_windows(pid, _kernel32())
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (killed, not yet reaped by its parent) holds nothing.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def read_holder(lock_path: Path) -> LockHolder | None:
    """Return the holder named in a lock file, or None if it is missing or unreadable."""
    try:
        data = json.loads(lock_path.read_text(encoding="utf-8"))
        return LockHolder(
            host=str(data["host"]),
            pid=int(data["pid"]),
            user=str(data.get("user", "?")),
            started_at=str(data.get("started_at", "")),
            app=str(data.get("app", "matrix-desktop")),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def is_stale(holder: LockHolder | None) -> bool:
    """Return True when the holder is a process on this host that no longer runs."""
    if holder is None:
        return False
    return holder.host == socket.gethostname() and not pid_alive(holder.pid)


def live_holder(database: Path) -> LockHolder | None:
    """Return the copy of the app holding the database's lock now (None: no running copy).

    A holder on another machine counts as running: its process cannot be checked from here.
    """
    holder = read_holder(lock_path_for(Path(database)))
    return holder if holder is not None and not is_stale(holder) else None


class DatabaseLock:
    """The lock on one database file, held by this process until release()."""

    def __init__(self, database: Path):
        self.database = Path(database)
        self.path = lock_path_for(self.database)
        self.holder: LockHolder | None = None
        self.recovered_from: LockHolder | None = None

    @property
    def held(self) -> bool:
        return self.holder is not None

    def acquire(self) -> DatabaseLock:
        """Take the lock (recovering one left by a dead process); returns self.

        Raises DatabaseLocked naming the holder when another live process has it.
        """
        me = this_process()
        payload = json.dumps(asdict(me), indent=1).encode("utf-8")
        for _attempt in range(3):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                holder = read_holder(self.path)
                if holder is None and self._young():
                    # Another process is between creating and writing the file.
                    continue
                if holder is not None and not is_stale(holder):
                    raise DatabaseLocked(self.database, holder, self.path) from None
                if holder is None:
                    raise DatabaseLocked(self.database, None, self.path) from None
                self.recovered_from = holder
                self._remove_if_unchanged(holder)
                continue
            except OSError as exc:
                if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                    raise StorageError(
                        f"{self.database}: cannot create the lock file {self.path.name} "
                        f"({exc.strerror}); open the database read-only"
                    ) from None
                raise
            try:
                os.write(fd, payload)
                os.fsync(fd)
            finally:
                os.close(fd)
            self.holder = me
            return self
        raise DatabaseLocked(self.database, read_holder(self.path), self.path)

    def _young(self) -> bool:
        try:
            age = _dt.datetime.now().timestamp() - self.path.stat().st_mtime
        except OSError:
            return True
        return age < 2.0

    def _remove_if_unchanged(self, stale: LockHolder) -> None:
        # Rename first so two processes recovering at once cannot both delete a fresh lock.
        grave = self.path.with_name(f"{self.path.name}.stale-{os.getpid()}")
        try:
            replace_file(self.path, grave, in_use=self.path)  # retried while Windows has it open
        except FileNotFoundError:
            return
        if read_holder(grave) != stale:  # someone else's fresh lock: put it back
            try:
                os.link(grave, self.path)
            except OSError:
                pass
        grave.unlink(missing_ok=True)

    def release(self) -> None:
        """Remove the lock file if it is still ours."""
        if self.holder is None:
            return
        current = read_holder(self.path)
        if (
            current is not None
            and current.pid == self.holder.pid
            and current.host == self.holder.host
        ):
            self.path.unlink(missing_ok=True)
        self.holder = None

    def __enter__(self) -> DatabaseLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def break_lock(database: Path) -> LockHolder | None:
    """Remove a database's lock file whoever holds it (the user said the holder is gone).

    Returns the holder that was named in it.
    """
    path = lock_path_for(Path(database))
    holder = read_holder(path)
    path.unlink(missing_ok=True)
    return holder
