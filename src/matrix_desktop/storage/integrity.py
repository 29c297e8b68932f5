"""Integrity at start-up: quick_check always, full checks after an unclean shutdown."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from matrix_desktop.core.dates import human_moment
from matrix_desktop.core.errors import StorageError
from matrix_desktop.storage.backup import BackupInfo, integrity_ok, newest_good_backup, ro_uri
from matrix_desktop.storage.database import Database

# app_meta key present while a copy of the app has the database open for writing; a clean
# close removes it, so finding it at start means the last session crashed or was killed.
SESSION_MARKER_KEY = "open_session"


@dataclass(frozen=True)
class IntegrityReport:
    """What the start-up checks found."""

    quick_ok: bool
    message: str
    unclean_shutdown: bool = False
    full_checked: bool = False
    foreign_key_problems: int = 0
    previous_session: str | None = None  # who had it open when it was not closed cleanly

    @property
    def ok(self) -> bool:
        return self.quick_ok and self.foreign_key_problems == 0


class DatabaseDamaged(StorageError):
    """The database failed its integrity checks; nothing will be written to it."""

    def __init__(self, database: Path, report: IntegrityReport, backup: BackupInfo | None):
        self.database = database
        self.report = report
        self.backup = backup
        problem = (
            report.message
            if not report.quick_ok
            else (f"{report.foreign_key_problems} broken reference(s) between tables")
        )
        offer = (
            f"The newest good backup is {backup.path} ({backup.label}); restore it."
            if backup
            else "No good backup was found."
        )
        super().__init__(
            f"{database}: the database is damaged ({problem}). Nothing was written to it. {offer}"
        )


def _connect_ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(ro_uri(path), uri=True, timeout=5)


def read_session_marker(path: Path) -> str | None:
    """Return the open-session marker left in the database (None after a clean close)."""
    try:
        con = _connect_ro(path)
        try:
            row = con.execute(
                "SELECT value FROM app_meta WHERE key = ?", (SESSION_MARKER_KEY,)
            ).fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def foreign_key_problems(path: Path) -> int:
    """Return how many rows break a foreign key (PRAGMA foreign_key_check)."""
    con = _connect_ro(path)
    try:
        return len(con.execute("PRAGMA foreign_key_check").fetchall())
    finally:
        con.close()


def check_database(path: Path, *, full: bool | None = None) -> IntegrityReport:
    """Run quick_check; after an unclean shutdown (or when full=True) also integrity_check
    and foreign_key_check. Returns the report (it raises nothing)."""
    if not path.exists() or path.stat().st_size == 0:
        return IntegrityReport(True, "ok (new database)")
    marker = read_session_marker(path)
    unclean = marker is not None
    run_full = unclean if full is None else full
    ok, message = integrity_ok(path, quick=not run_full)
    problems = 0
    if ok and run_full:
        try:
            problems = foreign_key_problems(path)
        except sqlite3.Error as exc:
            ok, message = False, str(exc)
    return IntegrityReport(ok, message, unclean, run_full, problems, _describe(marker))


def require_healthy(path: Path, report: IntegrityReport) -> None:
    """Raise DatabaseDamaged (naming the newest good backup) unless the report is ok."""
    if not report.ok:
        raise DatabaseDamaged(path, report, newest_good_backup(path))


def _describe(marker: str | None) -> str | None:
    if marker is None:
        return None
    try:
        data = json.loads(marker)
        user, host = data.get("user", "?"), data.get("host", "?")
        started = data.get("started_at")
        return f"{user} on {host}" + (f", opened {human_moment(started)}" if started else "")
    except (ValueError, AttributeError, TypeError):
        return marker


def mark_open(db: Database, holder_json: str) -> None:
    """Record that this process has the database open (cleared by mark_closed)."""
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO app_meta (key, value) VALUES (:k, :v) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
            ),
            {"k": SESSION_MARKER_KEY, "v": holder_json},
        )


def mark_closed(db: Database) -> None:
    """Remove the open-session marker: the session ended cleanly."""
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM app_meta WHERE key = :k"), {"k": SESSION_MARKER_KEY})
