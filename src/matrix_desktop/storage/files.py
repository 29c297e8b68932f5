"""Replacing and deleting files on every system.

Windows refuses to rename over, or delete, a file that another program has open: a PDF
viewer showing last week's report, Excel with an export, the virus scanner or OneDrive
reading a file just written. Those holds are usually brief, so `replace_file` retries with
a short backoff (about 1.5 s in all) and then says plainly what is in the way. On Linux and
macOS an open file never blocks a rename, so a PermissionError there is a real permission
problem and is raised at once.
"""

from __future__ import annotations

import errno
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from matrix_desktop.core.errors import StorageError

log = logging.getLogger(__name__)

# Windows error codes a PermissionError carries (OSError.winerror) when a file is in use.
ERROR_ACCESS_DENIED = 5  # also what an open file (without FILE_SHARE_DELETE) gives
ERROR_SHARING_VIOLATION = 32
ERROR_LOCK_VIOLATION = 33
IN_USE_ERRORS = frozenset({ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION})

RETRY_DELAYS: tuple[float, ...] = (0.05, 0.1, 0.2, 0.4, 0.8)

IN_USE_MESSAGE = (
    "another program has the file open (a PDF viewer, Excel, the virus scanner or OneDrive); "
    "close it, or wait a moment, and try again"
)


class FileInUse(StorageError, PermissionError):
    """Windows would not replace or delete a file because another program has it open."""

    def __init__(self, path: Path, action: str = "replace"):
        PermissionError.__init__(self, errno.EACCES, IN_USE_MESSAGE, str(path))
        self.path = Path(path)
        self.action = action

    def __str__(self) -> str:
        return f"{self.path}: cannot {self.action} it: {IN_USE_MESSAGE}"


def _on_windows() -> bool:
    return sys.platform == "win32"


def _in_use(exc: OSError) -> bool:
    """Return True if the error is Windows saying the file is open elsewhere."""
    if not _on_windows() or not isinstance(exc, PermissionError):
        return False
    return getattr(exc, "winerror", ERROR_ACCESS_DENIED) in IN_USE_ERRORS


def _retrying(
    action: Callable[[], None],
    path: Path,
    verb: str,
    delays: Sequence[float] | None,
    sleep: Callable[[float], None] | None,
) -> None:
    delays = RETRY_DELAYS if delays is None else delays
    sleep = sleep or time.sleep
    for attempt, delay in enumerate((*delays, None)):
        try:
            action()
            return
        except PermissionError as exc:
            if not _in_use(exc):
                raise
            if delay is None:
                raise FileInUse(path, verb) from exc
            log.info("%s is in use (%s); try %d in %.2f s", path, exc, attempt + 2, delay)
            sleep(delay)


def replace_file(
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    *,
    delays: Sequence[float] | None = None,
    sleep: Callable[[float], None] | None = None,
    in_use: str | os.PathLike[str] | None = None,
) -> None:
    """os.replace(source, target), retried while Windows reports either file in use.

    Raises FileInUse (a StorageError and a PermissionError) naming `in_use` (default: the
    target) when the file stays in use; any other error is raised as os.replace raised it.
    """
    blamed = Path(in_use if in_use is not None else target)
    _retrying(lambda: os.replace(source, target), blamed, "replace", delays, sleep)


def remove_file(
    path: str | os.PathLike[str],
    *,
    delays: Sequence[float] | None = None,
    sleep: Callable[[float], None] | None = None,
) -> None:
    """Delete a file if it exists, retried while Windows reports it in use (see replace_file)."""
    _retrying(lambda: Path(path).unlink(missing_ok=True), Path(path), "delete", delays, sleep)
