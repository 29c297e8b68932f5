"""Opening a database safely (lock, checks, warnings, backups) and the backup use cases."""

from __future__ import annotations

import datetime as _dt
import json
import logging
import os
import socket
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from matrix_desktop.core.dates import human_moment, since_text
from matrix_desktop.core.errors import StorageError
from matrix_desktop.core.locations import location_warnings
from matrix_desktop.core.retention import DEFAULT_POLICY, RetentionPolicy
from matrix_desktop.services.context import Services, build_services
from matrix_desktop.storage.backup import (
    BackupInfo,
    changed_since_last_backup,
    list_backups,
    prune_backups,
    restore_backup,
)
from matrix_desktop.storage.database import (
    Database,
    WriteFailed,
    current_revision,
    ensure_folder,
    is_sqlite_file,
    migrate,
    open_database,
    resolve_location,
)
from matrix_desktop.storage.integrity import (
    DatabaseDamaged,
    IntegrityReport,
    check_database,
    mark_closed,
    mark_open,
    require_healthy,
)
from matrix_desktop.storage.lock import (
    DatabaseLock,
    DatabaseLocked,
    LockHolder,
    break_lock,
    live_holder,
)
from matrix_desktop.storage.schema import HEAD_REVISION

__all__ = [
    "BACKUP_INTERVAL",
    "DatabaseDamaged",
    "DatabaseLocked",
    "LockHolder",
    "OpenResult",
    "OpenWarning",
    "SafetyService",
    "WriteFailed",
    "break_lock",
    "open_for_cli",
    "open_for_gui",
    "restore_damaged",
]

log = logging.getLogger(__name__)

BACKUP_INTERVAL = _dt.timedelta(minutes=30)


@dataclass(frozen=True)
class OpenWarning:
    """Something the user should know about the database just opened.

    kind: 'cloud', 'network', 'read_only', 'other_copy', 'unclean_shutdown', 'lock_recovered'.
    """

    kind: str
    message: str


class SafetyService:
    """Backups of one open database: periodic, on demand, listing and restoring."""

    def __init__(
        self,
        db: Database,
        catalog: object | None = None,
        *,
        interval: _dt.timedelta = BACKUP_INTERVAL,
        policy: RetentionPolicy = DEFAULT_POLICY,
    ):
        self.db = db
        self.catalog = catalog
        self.interval = interval
        self.policy = policy
        # The open-session marker this process wrote (re-written after a restore).
        self.session_marker: str | None = None

    @property
    def enabled(self) -> bool:
        """Return True when this database can be backed up here (a writable SQLite file)."""
        return self.db.path is not None and not self.db.read_only

    def backups(self) -> list[BackupInfo]:
        """Return the database's backups, newest first."""
        return list_backups(self.db.path) if self.db.path else []

    def backup_now(self, reason: str = "manual", now: _dt.datetime | None = None) -> BackupInfo:
        """Write a verified backup now, then apply the rotation; returns the new backup."""
        if self.db.path is None:
            raise StorageError(f"{self.db.location}: only SQLite databases are backed up here")
        path = self.db.backup(reason)
        assert path is not None
        prune_backups(self.db.path, now, self.policy)
        return next(b for b in list_backups(self.db.path) if b.path == path)

    def changed_since_last_backup(self) -> bool:
        """Return True if the data differs from the newest backup."""
        return self.db.path is not None and changed_since_last_backup(self.db.path)

    def maybe_backup(self, now: _dt.datetime | None = None) -> BackupInfo | None:
        """Back up if the data changed and the newest backup is older than the interval.

        Call from a timer (the GUI: every few minutes); returns the backup written, or None.
        """
        if not self.enabled:
            return None
        now = now or _dt.datetime.now()
        newest = self.backups()
        if newest and now - newest[0].created < self.interval:
            return None
        if not self.changed_since_last_backup():
            return None
        return self.backup_now("periodic", now)

    def restore(self, backup: str | os.PathLike[str]) -> Path:
        """Replace the data with a backup, after backing up the current state.

        Returns the path of the copy of the state that was replaced. The open Database keeps
        working (its connections are re-opened) and is upgraded if the backup is older.
        """
        if not self.enabled:
            raise StorageError(f"{self.db.location}: a read-only database cannot be restored")
        assert self.db.path is not None
        self.db.engine.dispose()
        saved = restore_backup(self.db.path, Path(backup))
        self.db.refuse_writes = None
        if self.session_marker is not None:
            mark_open(self.db, self.session_marker)
        if current_revision(self.db.engine) != HEAD_REVISION:
            migrate(self.db.engine, self.db.location)
        forget = getattr(self.catalog, "forget_frameworks", None)
        if forget:
            forget()
        prune_backups(self.db.path, None, self.policy)
        return saved


@dataclass
class OpenResult:
    """An opened database and what the user should be told about it."""

    services: Services
    safety: SafetyService
    lock: DatabaseLock | None
    read_only: bool
    warnings: list[OpenWarning] = field(default_factory=list)
    integrity: IntegrityReport | None = None
    startup_backup: BackupInfo | None = None
    _closed: bool = False

    @property
    def unclean_shutdown(self) -> bool:
        return bool(self.integrity and self.integrity.unclean_shutdown)

    def close(self) -> None:
        """Close cleanly: clear the open-session marker, close the database, drop the lock."""
        if self._closed:
            return
        self._closed = True
        try:
            if self.lock is not None and not self.read_only:
                mark_closed(self.services.db)
        except Exception:  # a full disk at exit: the next start runs the full checks
            log.warning("could not record a clean close", exc_info=True)
        finally:
            self.services.close()
            if self.lock is not None:
                self.lock.release()


def _other_copy_message(holder: LockHolder) -> str:
    where = "" if holder.host == socket.gethostname() else f" on {holder.host}"
    return (
        f"Another copy of Matrix Desktop is using this database ({holder.user}{where}, "
        f"since {since_text(holder.started_at)}); opened read-only: you can look and export, "
        "but changes cannot be saved here until that copy is closed."
    )


def restore_damaged(damaged: DatabaseDamaged) -> Path:
    """Replace a damaged database (not open) with the newest good backup its check named.

    The damaged file is kept beside the backups; returns where. Open the database again
    afterwards (it is upgraded then if the backup is older).
    """
    if damaged.backup is None:
        raise StorageError(f"{damaged.database}: no good backup was found to restore")
    return restore_backup(damaged.database, damaged.backup.path)


def _filesystem_type(path: Path) -> str | None:
    """Return the filesystem type holding path (Linux: /proc/mounts; Windows: 'remote')."""
    if os.name == "nt":  # pragma: no cover - Windows only
        import ctypes

        drive = os.path.splitdrive(str(path))[0] + "\\"
        return "remote" if ctypes.windll.kernel32.GetDriveTypeW(drive) == 4 else None  # type: ignore[attr-defined]
    try:
        with open("/proc/mounts", encoding="utf-8") as fh:
            mounts = [line.split()[1:3] for line in fh if len(line.split()) >= 3]
    except OSError:
        return None
    target = str(path.resolve())
    best, kind = "", None
    for mount_point, fstype in mounts:
        mount_point = mount_point.replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) >= len(best):
            best, kind = mount_point, fstype
    return kind


def _writable(path: Path) -> bool:
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # a new database: its folder will be created here
    return os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def open_for_gui(
    target: str | os.PathLike[str] | None = None,
    *,
    read_only: bool = False,
    user: str | None = None,
    now: _dt.datetime | None = None,
) -> OpenResult:
    """Open a database for the desktop app, safely. Returns an OpenResult; close() it.

    Takes the lock (raises DatabaseLocked naming the holder: offer read-only or quit), runs
    quick_check (full checks after an unclean shutdown; raises DatabaseDamaged naming the
    newest good backup), opens read-only with a warning when the file or folder is
    read-only, warns about cloud-synced and network folders, and backs up at start-up when
    the data changed since the last backup.
    """
    location = resolve_location(target)
    warnings: list[OpenWarning] = []
    if location.path is None:  # a server database: the server does locking and backups
        db = open_database(target, read_only=read_only)
        services = build_services(db, user)
        return OpenResult(services, SafetyService(db, services.catalog), None, read_only)
    path = location.path
    warnings += [
        OpenWarning(w.kind, w.message)
        for w in location_warnings(
            str(path), _filesystem_type(path.parent if not path.exists() else path)
        )
    ]
    if not read_only and not _writable(path):
        read_only = True
        warnings.append(
            OpenWarning(
                "read_only",
                f"{path} is read-only here (file, folder or disk), so it is open read-only: "
                "you can look and export, but changes cannot be saved.",
            )
        )
    if not read_only:
        ensure_folder(path)
    lock = None if read_only else DatabaseLock(path).acquire()
    # Opened read-only beside a running copy: its open-session marker is its own, not a crash.
    other = None if lock is not None or not path.exists() else live_holder(path)
    try:
        report = check_database(path, full=False if other is not None else None)
        if other is not None and report.unclean_shutdown:
            report = replace(report, unclean_shutdown=False, previous_session=None)
        require_healthy(path, report)
        if other is not None:
            warnings.append(OpenWarning("other_copy", _other_copy_message(other)))
        recovered = lock.recovered_from if lock is not None else None
        if report.unclean_shutdown:
            # One message for one event: the crash, and (if it left one) its lock cleared.
            warnings.append(
                OpenWarning(
                    "unclean_shutdown",
                    "Matrix Desktop did not close properly last time"
                    + (f" ({report.previous_session})" if report.previous_session else "")
                    + ". The database was checked in full and is fine; "
                    "every saved change is there.",
                )
            )
        elif recovered is not None:
            warnings.append(
                OpenWarning(
                    "lock_recovered",
                    f"The copy of Matrix Desktop used by {recovered.user} on {recovered.host} "
                    f"(opened {human_moment(recovered.started_at)}) ended without closing the "
                    "database; its lock was cleared.",
                )
            )
        db = open_database(target, read_only=read_only)
        services = build_services(db, user)
        safety = SafetyService(db, services.catalog)
        result = OpenResult(services, safety, lock, read_only, warnings, report)
        if lock is not None:
            try:
                if safety.changed_since_last_backup():
                    result.startup_backup = safety.backup_now("startup", now)
                safety.session_marker = json.dumps(asdict(lock.holder) if lock.holder else {})
                mark_open(db, safety.session_marker)
            except BaseException:
                result.close()
                raise
        return result
    except BaseException:
        if lock is not None:
            lock.release()
        raise


def open_for_cli(
    target: str | os.PathLike[str] | None = None,
    *,
    read_only: bool = False,
    user: str | None = None,
) -> Services:
    """Open services for one CLI command. Writing commands take the lock (DatabaseLocked
    names the holder) and refuse a damaged database; read-only commands just read.

    Services.close() releases the lock and records the clean close.
    """
    location = resolve_location(target)
    if read_only or location.path is None:
        if location.path is not None and is_sqlite_file(location.path):
            # SQLite's quick_check (one pass over the file, no index cross-checks): a damaged
            # database is refused with the damaged-database message, not read as if whole.
            require_healthy(location.path, check_database(location.path, full=False))
        return build_services(open_database(target, read_only=read_only), user)
    path = location.path
    ensure_folder(path)
    lock = DatabaseLock(path).acquire()
    try:
        if is_sqlite_file(path):  # else open_database says what the file is
            require_healthy(path, check_database(path))
        db = open_database(target)
        mark_open(db, json.dumps(asdict(lock.holder)) if lock.holder else "{}")
    except BaseException:
        lock.release()
        raise
    services = build_services(db, user)

    def _finish() -> None:
        try:
            mark_closed(db)
        finally:
            db.close()
            lock.release()

    services.on_close.append(_finish)
    return services
