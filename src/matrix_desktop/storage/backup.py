"""Verified copies of a SQLite database through SQLite's online backup API."""

from __future__ import annotations

import datetime as _dt
import logging
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from matrix_desktop.core.errors import StorageError
from matrix_desktop.core.retention import DEFAULT_POLICY, RetentionPolicy, backups_to_keep
from matrix_desktop.storage.files import remove_file, replace_file

log = logging.getLogger(__name__)

# Rotation runs often and is never urgent: a short wait for a file Windows holds open, then
# the file is left for next time.
ROTATION_DELAYS = (0.05, 0.2)

CHANGE_COUNTER_KEY = "change_counter"
BACKUP_SUFFIX = ".sqlite3"
PARTIAL_SUFFIX = ".partial"
_STAMP_FORMAT = "%Y%m%dT%H%M%S%f"


def ro_uri(path: Path) -> str:
    """Return a read-only SQLite URI for path; immutable where the folder is read-only,
    since a WAL reader could not create its -shm file there and nobody can be writing."""
    uri = f"file:{path}?mode=ro"
    if not os.access(path.parent, os.W_OK):
        uri += "&immutable=1"
    return uri


def _check(target: str, pragma: str, uri: bool = True) -> list[tuple[object, ...]]:
    con = sqlite3.connect(target, uri=uri)
    try:
        return con.execute(f"PRAGMA {pragma}").fetchall()
    finally:
        con.close()


def integrity_ok(path: Path, *, quick: bool = False) -> tuple[bool, str]:
    """Return (ok, message) from SQLite's integrity_check (or quick_check) of a file."""
    pragma = "quick_check" if quick else "integrity_check"
    try:
        rows = _check(ro_uri(path), pragma)
    except sqlite3.DatabaseError as exc:
        if "readonly" not in str(exc) or not os.access(path, os.W_OK):
            return False, str(exc)
        # A crash left a hot journal, which only a writable connection may roll back: that is
        # SQLite's own recovery to the last committed state, not a change of ours.
        try:
            rows = _check(str(path), pragma, uri=False)
        except sqlite3.DatabaseError as again:
            return False, str(again)
    message = "; ".join(str(r[0]) for r in rows[:5])
    return message == "ok", message


def backup_database(source: Path, destination: Path) -> Path:
    """Copy a live database to destination: temp name, integrity_check, fsync, rename.

    Returns the destination path. No partial file is ever left at the final path.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = destination.with_name(destination.name + PARTIAL_SUFFIX)
    tmp.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        ok, message = integrity_ok(tmp)
        if not ok:
            raise StorageError(f"backup of {source} failed its integrity check: {message}")
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        replace_file(tmp, destination)  # retried while Windows has either file open
        fsync_folder(destination.parent)
    except (sqlite3.Error, OSError) as exc:
        raise StorageError(f"could not back up {source} to {destination}: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return destination


def timestamped_backup_path(database: Path, reason: str, now: _dt.datetime | None = None) -> Path:
    """Return a backup file name beside the database.

    E.g. backups/x-20261122T101500000000-migration.sqlite3.
    """
    when = now or _dt.datetime.now()
    while True:
        name = f"{database.stem}-{when.strftime(_STAMP_FORMAT)}-{reason}{BACKUP_SUFFIX}"
        path = database.parent / "backups" / name
        if not path.exists():  # two backups in one microsecond (tests, fast machines)
            return path
        when += _dt.timedelta(microseconds=1)


def fsync_folder(folder: Path) -> None:
    """Make a rename inside folder durable (a no-op where folders cannot be opened)."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@dataclass(frozen=True)
class BackupInfo:
    """One backup file: where it is, when it was made, and why."""

    path: Path
    created: _dt.datetime
    reason: str
    size: int

    @property
    def label(self) -> str:
        return f"{self.created:%Y-%m-%d %H:%M:%S} ({self.reason})"


def _parse_backup_name(database: Path, path: Path) -> tuple[_dt.datetime, str] | None:
    prefix = database.stem + "-"
    name = path.name
    if not (name.startswith(prefix) and name.endswith(BACKUP_SUFFIX)):
        return None
    rest = name[len(prefix) : -len(BACKUP_SUFFIX)]
    match = re.fullmatch(r"(\d{8}T\d{12})-([a-z0-9_-]+)", rest)
    if not match:
        return None
    try:
        created = _dt.datetime.strptime(match.group(1), _STAMP_FORMAT)
    except ValueError:
        return None
    return created, match.group(2)


def list_backups(database: Path) -> list[BackupInfo]:
    """Return the database's backups, newest first (unfinished .partial files are not backups)."""
    folder = database.parent / "backups"
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        parsed = _parse_backup_name(database, path)
        if parsed is None or not path.is_file():
            continue
        found.append(BackupInfo(path, parsed[0], parsed[1], path.stat().st_size))
    return sorted(found, key=lambda b: b.created, reverse=True)


def newest_good_backup(database: Path) -> BackupInfo | None:
    """Return the newest backup that passes integrity_check, or None."""
    for info in list_backups(database):
        if integrity_ok(info.path)[0]:
            return info
    return None


def prune_backups(
    database: Path,
    now: _dt.datetime | None = None,
    policy: RetentionPolicy = DEFAULT_POLICY,
) -> list[Path]:
    """Delete backups the rotation policy does not keep, and stale .partial files.

    Returns the paths removed.
    """
    now = now or _dt.datetime.now()
    backups = list_backups(database)
    keep = backups_to_keep((b.created for b in backups), now, policy)
    removed = []
    for info in backups:
        if info.created not in keep and _remove(info.path):
            removed.append(info.path)
    folder = database.parent / "backups"
    if folder.is_dir():
        for path in folder.glob(f"{database.stem}-*{PARTIAL_SUFFIX}*"):
            # A .partial is only left by a killed backup; one older than an hour is dead.
            if now.timestamp() - path.stat().st_mtime > 3600 and _remove(path):
                removed.append(path)
    return removed


def _remove(path: Path) -> bool:
    """Delete a backup the rotation drops; one that cannot be deleted now (Windows: open in
    another program) is left for the next rotation rather than failing this one."""
    try:
        remove_file(path, delays=ROTATION_DELAYS)
    except OSError as exc:  # FileInUse is an OSError too
        log.warning("backup rotation: %s is kept for now: %s", path, exc)
        return False
    return True


def read_change_counter(path: Path) -> int | None:
    """Return the change counter stored in a database file (None if it has none or is unreadable).

    The counter goes up with every committed transaction that changed a row (see
    Database.session), so equal counters mean equal data.
    """
    try:
        con = sqlite3.connect(ro_uri(path), uri=True)
        try:
            row = con.execute(
                "SELECT value FROM app_meta WHERE key = ?", (CHANGE_COUNTER_KEY,)
            ).fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    try:
        return int(row[0]) if row else 0
    except (TypeError, ValueError):
        return None


def changed_since_last_backup(database: Path) -> bool:
    """Return True if the database's data differs from its newest backup (or it has none)."""
    backups = list_backups(database)
    if not backups:
        return True
    return read_change_counter(database) != read_change_counter(backups[0].path)


def restore_backup(database: Path, backup: Path) -> Path:
    """Replace the database's content with a backup, after backing up the current state.

    Close every connection to the database first. Returns the path of the copy of the state
    that was replaced. The backup is checked before anything changes; on a healthy database
    the copy runs in one SQLite transaction (old or new state, never between); a damaged
    database is kept whole (with its -wal) beside the backups and the file replaced.
    """
    ok, message = integrity_ok(backup)
    if not ok:
        raise StorageError(f"{backup}: this backup is damaged ({message}); choose another")
    healthy = database.exists() and integrity_ok(database, quick=True)[0]
    if healthy:
        saved = backup_database(database, timestamped_backup_path(database, "before-restore"))
        try:
            src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
            try:
                dst = sqlite3.connect(database, timeout=5)
                try:
                    src.backup(dst)
                finally:
                    dst.close()
            finally:
                src.close()
        except sqlite3.Error as exc:
            raise StorageError(f"could not restore {backup} into {database}: {exc}") from exc
    else:
        saved = _keep_damaged_copy(database)
        staging = database.with_name(database.name + ".restoring")
        backup_database(backup, staging)
        for suffix in ("-wal", "-shm", "-journal"):
            database.with_name(database.name + suffix).unlink(missing_ok=True)
        replace_file(staging, database)  # e.g. a viewer or OneDrive still has it open
        fsync_folder(database.parent)
    ok, message = integrity_ok(database)
    if not ok:
        raise StorageError(f"{database}: the restored database failed its check ({message})")
    _clear_session_marker(database)
    return saved


def _clear_session_marker(database: Path) -> None:
    # A backup taken during a session carries that session's open marker; once restored it
    # would look like an unclean shutdown.
    con = sqlite3.connect(database, timeout=5)
    try:
        with con:
            con.execute("DELETE FROM app_meta WHERE key = 'open_session'")
    except sqlite3.OperationalError:  # a database from before app_meta: nothing to clear
        pass
    finally:
        con.close()


def _keep_damaged_copy(database: Path) -> Path:
    """Copy a damaged database's files (main file and -wal) beside the backups, untouched."""
    dest = timestamped_backup_path(database, "damaged").with_suffix(".damaged")
    dest.parent.mkdir(parents=True, exist_ok=True)
    if database.exists():
        shutil.copy2(database, dest)
    wal = database.with_name(database.name + "-wal")
    if wal.exists():
        shutil.copy2(wal, dest.with_name(dest.name + "-wal"))
    return dest
