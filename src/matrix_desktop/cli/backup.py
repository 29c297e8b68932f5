"""CLI commands: backup create, list and restore."""

from __future__ import annotations

import argparse
from pathlib import Path

from matrix_desktop.core.errors import NotFound, StorageError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backup", help="create, list or restore verified backups")
    b_sub = p.add_subparsers(dest="backup_command", metavar="ACTION", required=True)
    c = b_sub.add_parser("create", help="write a verified backup of the database now")
    c.set_defaults(run=cmd_backup_create)
    c = b_sub.add_parser("list", help="list the database's backups, newest first")
    c.set_defaults(run=cmd_backup_list)
    c = b_sub.add_parser(
        "restore",
        help="replace the data with a backup (the current state is backed up first)",
    )
    c.add_argument(
        "backup",
        metavar="BACKUP",
        help="a backup file, or its number in `backup list` (1 = newest)",
    )
    c.set_defaults(run=cmd_backup_restore)


def _database_path(args: argparse.Namespace) -> Path:
    from matrix_desktop.storage.database import resolve_location

    location = resolve_location(args.database)
    if location.path is None:
        raise StorageError(f"{location}: backups are for SQLite database files only")
    if not location.path.exists():
        raise NotFound(f"{location.path}: no such database")
    return location.path


def _server_url(args: argparse.Namespace) -> str | None:
    from matrix_desktop.storage.database import resolve_location

    location = resolve_location(args.database)
    return None if location.is_sqlite else location.url


def _server_backup(url: str, choice: str) -> Path:
    from matrix_desktop.storage.server_backup import list_server_backups

    if choice.isdigit() and not Path(choice).exists():
        backups = list_server_backups(url)
        if not 1 <= int(choice) <= len(backups):
            raise NotFound(f"there is no backup number {choice}; see `backup list`")
        return backups[int(choice) - 1].path
    return Path(choice).expanduser().absolute()


def cmd_backup_create(args: argparse.Namespace) -> int:
    url = _server_url(args)
    if url is not None:  # a server: PostgreSQL's pg_dump, custom format
        from matrix_desktop.storage.server_backup import create_server_backup

        made = create_server_backup(url)
        print(f"backed up to {made.path} ({made.size // 1024} KiB, pg_dump custom format, checked)")
        return 0
    return _sqlite_backup_create(args)


def _sqlite_backup_create(args: argparse.Namespace) -> int:
    from matrix_desktop.services.safety import open_for_cli
    from matrix_desktop.storage.backup import list_backups, prune_backups

    # Reading is enough to back up, so this proceeds while the app has the database open.
    svc = open_for_cli(args.database, read_only=True)
    try:
        path = svc.db.backup("manual")
    finally:
        svc.close()
    database = _database_path(args)
    prune_backups(database)
    made = next(b for b in list_backups(database) if b.path == path)
    print(f"backed up to {made.path} ({made.size // 1024} KiB, integrity ok)")
    return 0


def cmd_backup_list(args: argparse.Namespace) -> int:
    from matrix_desktop.storage.backup import list_backups
    from matrix_desktop.storage.server_backup import list_server_backups

    url = _server_url(args)
    backups = list_server_backups(url) if url else list_backups(_database_path(args))
    if not backups:
        print("no backups yet")
    for number, info in enumerate(backups, start=1):
        print(f"{number:>3}  {info.label:<40} {info.size // 1024:>6} KiB  {info.path}")
    return 0


def cmd_backup_restore(args: argparse.Namespace) -> int:
    from matrix_desktop.storage.backup import list_backups, restore_backup
    from matrix_desktop.storage.database import open_database
    from matrix_desktop.storage.lock import DatabaseLock

    url = _server_url(args)
    if url is not None:  # a server: pg_restore in one transaction, after a dump of now
        from matrix_desktop.storage.server_backup import restore_server_backup

        backup = _server_backup(url, args.backup)
        saved = restore_server_backup(url, backup)
        print(f"restored {backup}")
        print(f"the state before the restore was saved as {saved.path}")
        return 0
    path = _database_path(args)
    choice = args.backup
    if choice.isdigit() and not Path(choice).exists():
        backups = list_backups(path)
        if not 1 <= int(choice) <= len(backups):
            raise NotFound(f"there is no backup number {choice}; see `backup list`")
        backup = backups[int(choice) - 1].path
    else:
        backup = Path(choice).expanduser().absolute()
        if not backup.is_file():
            raise NotFound(f"{backup}: no such backup file")
    with DatabaseLock(path):  # refused, naming the holder, while the app has it open
        saved = restore_backup(path, backup)
        open_database(path).close()  # upgrades a backup from an older version
    print(f"restored {backup}")
    print(f"the state before the restore was saved as {saved}")
    return 0
