"""Verified copies of a SQLite database through SQLite's online backup API."""

from __future__ import annotations

import datetime as _dt
import os
import sqlite3
from pathlib import Path

from matrix_desktop.core.errors import StorageError


def integrity_ok(path: Path, *, quick: bool = False) -> tuple[bool, str]:
    """Return (ok, message) from SQLite's integrity_check (or quick_check) of a file."""
    pragma = "quick_check" if quick else "integrity_check"
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = con.execute(f"PRAGMA {pragma}").fetchall()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return False, str(exc)
    message = "; ".join(str(r[0]) for r in rows[:5])
    return message == "ok", message


def backup_database(source: Path, destination: Path) -> Path:
    """Copy a live database to destination: temp name, integrity_check, fsync, rename.

    Returns the destination path. No partial file is ever left at the final path.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = destination.with_name(destination.name + ".partial")
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
        os.replace(tmp, destination)
    except sqlite3.Error as exc:
        raise StorageError(f"could not back up {source} to {destination}: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return destination


def timestamped_backup_path(database: Path, reason: str) -> Path:
    """Return a backup file name beside the database, e.g. backups/x-20261122T101500-migration.sqlite3."""
    stamp = _dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
    return database.parent / "backups" / f"{database.stem}-{stamp}-{reason}.sqlite3"
