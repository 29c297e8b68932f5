"""Backups of a server database with PostgreSQL's own tools: pg_dump -Fc and pg_restore.

Backups go to the user's data folder, `server-backups/HOST_PORT_DATABASE/`, one custom-format
dump per backup, named like the SQLite backups (DATABASE-STAMP-REASON.dump) so they list the
same way. The password (if the URL has one) reaches the tools through PGPASSWORD, never on
their command line; without one, the tools read .pgpass or a service file as libpq does.
"""

from __future__ import annotations

import datetime as _dt
import glob
import os
import re
import shutil
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from matrix_desktop.core.errors import NotFound, StorageError
from matrix_desktop.storage.backup import BackupInfo
from matrix_desktop.storage.server import redact_url

DUMP_SUFFIX = ".dump"
_STAMP_FORMAT = "%Y%m%dT%H%M%S%f"
TOOL_TIMEOUT_S = 3600  # a regional database dumps in minutes; an hour means something is stuck


def _install_hint(tool: str) -> str:
    return (
        f"{tool} (PostgreSQL's client tools) is not installed here: install them "
        "(Debian/Ubuntu: apt-get install postgresql-client; Windows and macOS: the PostgreSQL "
        "installer's command line tools), or ask the database administrator to back up the "
        "server with pg_dump -Fc"
    )


def find_tool(name: str) -> Path | None:
    """Return PostgreSQL's tool (pg_dump, pg_restore): on PATH, else the newest installed."""
    found = shutil.which(name)
    if found:
        return Path(found)
    candidates = glob.glob(f"/usr/lib/postgresql/*/bin/{name}") + glob.glob(
        f"/Library/PostgreSQL/*/bin/{name}"
    )

    def version(path: str) -> int:
        parts = [p for p in Path(path).parts if p.isdigit()]
        return int(parts[-1]) if parts else 0

    return Path(max(candidates, key=version)) if candidates else None


def _tool(name: str) -> Path:
    found = find_tool(name)
    if found is None:
        raise StorageError(_install_hint(name))
    return found


def libpq_target(url: str) -> tuple[str, dict[str, str]]:
    """Return the libpq URL (no password in it) and the environment carrying the password."""
    parsed = make_url(url)
    password = parsed.password or parsed.query.get("password")
    plain = parsed.set(drivername="postgresql", password=None).difference_update_query(["password"])
    env = dict(os.environ)
    if isinstance(password, str) and password:
        env["PGPASSWORD"] = password
    return plain.render_as_string(hide_password=False), env


def backups_folder(url: str) -> Path:
    """Return the folder holding this server database's backups (in the user's data folder)."""
    from matrix_desktop.paths import user_data_dir

    parsed = make_url(url)
    name = f"{parsed.host or 'local'}_{parsed.port or 5432}_{parsed.database or ''}"
    return user_data_dir() / "server-backups" / re.sub(r"[^A-Za-z0-9._-]", "_", name)


def _stem(url: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", make_url(url).database or "database")


def list_server_backups(url: str) -> list[BackupInfo]:
    """Return this server database's backups, newest first."""
    folder = backups_folder(url)
    if not folder.is_dir():
        return []
    prefix = _stem(url) + "-"
    found = []
    for path in folder.iterdir():
        name = path.name
        if not (name.startswith(prefix) and name.endswith(DUMP_SUFFIX)):
            continue
        match = re.fullmatch(r"(\d{8}T\d{12})-([a-z0-9_-]+)", name[len(prefix) : -len(DUMP_SUFFIX)])
        if not match:
            continue
        created = _dt.datetime.strptime(match.group(1), _STAMP_FORMAT)
        found.append(BackupInfo(path, created, match.group(2), path.stat().st_size))
    return sorted(found, key=lambda b: b.created, reverse=True)


def run_tool(args: list[str], env: dict[str, str], what: str, where: str) -> None:
    """Run pg_dump or pg_restore; StorageError (password redacted) if it fails or hangs."""
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=TOOL_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise StorageError(
            f"{where}: {what} did not finish within an hour; nothing was changed"
        ) from None
    if done.returncode != 0:
        reason = " ".join(redact_url(done.stderr).split()) or f"exit status {done.returncode}"
        raise StorageError(f"{where}: {what} failed ({reason})")


def create_server_backup(url: str, reason: str = "manual") -> BackupInfo:
    """Dump the database with pg_dump -Fc and check the dump reads back; returns the backup."""
    where = redact_url(url)
    pg_dump, pg_restore = _tool("pg_dump"), _tool("pg_restore")
    target, env = libpq_target(url)
    folder = backups_folder(url)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = _dt.datetime.now().strftime(_STAMP_FORMAT)
    path = folder / f"{_stem(url)}-{stamp}-{reason}{DUMP_SUFFIX}"
    partial = path.with_name(path.name + ".partial")
    try:
        run_tool([str(pg_dump), "-Fc", "-f", str(partial), "-d", target], env, "pg_dump", where)
        # A dump whose table of contents cannot be read is no backup.
        run_tool([str(pg_restore), "--list", str(partial)], env, "checking the dump", where)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return next(b for b in list_server_backups(url) if b.path == path)


def restore_server_backup(url: str, backup: Path) -> BackupInfo:
    """Replace the database's tables with a dump; the current state is dumped first.

    Runs pg_restore --clean in one transaction: if anything fails, nothing changes.
    Returns the backup of the state before the restore.
    """
    where = redact_url(url)
    if not backup.is_file():
        raise NotFound(f"{backup}: no such backup file")
    pg_restore = _tool("pg_restore")
    saved = create_server_backup(url, "before-restore")
    target, env = libpq_target(url)
    run_tool(
        [
            str(pg_restore),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "-d",
            target,
            str(backup),
        ],
        env,
        "pg_restore",
        where,
    )
    return saved
