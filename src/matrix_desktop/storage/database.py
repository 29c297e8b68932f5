"""Opening a database: URL resolution, SQLite pragmas, schema checks, migrations, first-start seeding."""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from matrix_desktop.core.errors import StorageError
from matrix_desktop.storage.backup import backup_database, timestamped_backup_path
from matrix_desktop.storage.schema import HEAD_REVISION, KNOWN_REVISIONS

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class DatabaseLocation:
    """Where a database lives: a SQLAlchemy URL, and the file when it is SQLite."""

    url: str
    path: Path | None

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    def __str__(self) -> str:
        return str(self.path) if self.path else _redact(self.url)


def _redact(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return url


def resolve_location(target: str | os.PathLike[str] | None) -> DatabaseLocation:
    """Return the location for a path or SQLAlchemy URL (None: the user's default database)."""
    from matrix_desktop.paths import default_database_path

    if target is None:
        target = os.environ.get("MATRIX_DESKTOP_DATABASE") or default_database_path()
    text_target = os.fspath(target)
    if "://" in text_target:
        if text_target.startswith("sqlite:///"):
            path = Path(text_target.removeprefix("sqlite:///").split("?", 1)[0])
            return DatabaseLocation(f"sqlite:///{path}", path.absolute())
        return DatabaseLocation(text_target, None)
    path = Path(text_target).expanduser().absolute()
    return DatabaseLocation(f"sqlite:///{path}", path)


_WHERE_ELSE = (
    "choose a writable place with --database PATH, or set MATRIX_DESKTOP_HOME to a writable folder"
)


def _check_sqlite_file(path: Path, read_only: bool) -> None:
    if path.is_dir():
        raise StorageError(f"{path}: is a folder, not a database file")
    if path.exists():
        try:
            with open(path, "rb") as fh:
                head = fh.read(16)
        except OSError as exc:
            raise StorageError(f"{path}: cannot be read ({exc.strerror})") from None
        if head and head != SQLITE_MAGIC:
            raise StorageError(f"{path}: is not a matrix-desktop database (not a SQLite file)")
        if not read_only and not os.access(path, os.W_OK):
            raise StorageError(f"{path}: the file is read-only; open it read-only instead")
    elif not read_only:
        parent = path.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(
                f"{path}: cannot create the folder {parent} ({exc.strerror}); "
                f"{_WHERE_ELSE}"
            ) from None
        if not os.access(parent, os.W_OK):
            raise StorageError(f"{path}: the folder {parent} is not writable; {_WHERE_ELSE}")
    else:
        raise StorageError(f"{path}: no such database")


def _sqlite_revision(path: Path) -> str | None:
    """Return the schema revision stamped in a SQLite file, or None for an empty database."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            has = con.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            ).fetchone()
            if not has:
                tables = con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
                if tables:
                    raise StorageError(f"{path}: is a SQLite file but not a matrix-desktop database")
                return None
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"{path}: cannot be read as a database ({exc})") from None
    return row[0] if row else None


def _install_sqlite_pragmas(engine: Engine, read_only: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # Let SQLAlchemy (not the driver) issue BEGIN, so DDL is transactional too.
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if not read_only:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


class Database:
    """An open database: its engine, location and whether it is read-only."""

    def __init__(self, location: DatabaseLocation, engine: Engine, read_only: bool):
        self.location = location
        self.engine = engine
        self.read_only = read_only

    @property
    def path(self) -> Path | None:
        return self.location.path

    @contextmanager
    def session(self) -> Iterator[Session]:
        """Yield a session in one transaction, committed on success, rolled back on error."""
        with Session(self.engine, expire_on_commit=False, autoflush=False) as session:
            with session.begin():
                yield session

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """Yield a session for reading (rolled back at the end)."""
        with Session(self.engine, autoflush=False) as session:
            yield session
            session.rollback()

    def pragma(self, name: str) -> str:
        with self.engine.connect() as conn:
            return str(conn.exec_driver_sql(f"PRAGMA {name}").scalar())

    def close(self) -> None:
        self.engine.dispose()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except Exception:
            return None


def migrate(engine: Engine, location: DatabaseLocation) -> str | None:
    """Bring the schema to HEAD_REVISION; back up first. Returns the backup path (if any)."""
    from alembic import command
    from alembic.config import Config

    from matrix_desktop.paths import migrations_dir

    backup = None
    if location.path is not None and location.path.exists() and _sqlite_revision(location.path):
        backup = backup_database(location.path, timestamped_backup_path(location.path, "migration"))
        log.info("backed up %s to %s before migrating", location.path, backup)
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return str(backup) if backup else None


def open_database(
    target: str | os.PathLike[str] | None = None,
    *,
    read_only: bool = False,
    seed: bool = True,
) -> Database:
    """Open (creating and migrating if needed) the database at a path or URL.

    Raises StorageError with a message naming the database and the problem; nothing is
    written to a database this build cannot use.
    """
    location = resolve_location(target)
    if location.is_sqlite:
        assert location.path is not None
        _check_sqlite_file(location.path, read_only)
        revision = _sqlite_revision(location.path)
        if revision is not None and revision not in KNOWN_REVISIONS:
            raise StorageError(
                f"{location.path}: this database was written by a newer version of "
                f"matrix-desktop (schema {revision}); install the newer version to open it. "
                "Nothing was changed."
            )
        url = location.url
        if read_only:
            url = f"sqlite:///file:{location.path}?mode=ro&uri=true"
        engine = create_engine(url)
        _install_sqlite_pragmas(engine, read_only)
    else:
        engine = create_engine(location.url, pool_pre_ping=True)
        revision = current_revision(engine)
        if revision is not None and revision not in KNOWN_REVISIONS:
            raise StorageError(
                f"{location}: this database was written by a newer version of matrix-desktop "
                f"(schema {revision}). Nothing was changed."
            )
    db = Database(location, engine, read_only)
    try:
        if revision != HEAD_REVISION:
            if read_only:
                raise StorageError(
                    f"{location}: the database needs upgrading, which a read-only open cannot do"
                )
            migrate(engine, location)
        if seed and not read_only:
            from matrix_desktop.storage.frameworks_repo import seed_bundled_frameworks

            seed_bundled_frameworks(db)
    except sqlite3.OperationalError as exc:
        db.close()
        raise StorageError(f"{location}: {exc}") from exc
    except Exception as exc:
        db.close()
        if isinstance(exc, StorageError):
            raise
        from sqlalchemy.exc import OperationalError

        if isinstance(exc, OperationalError):
            raise StorageError(f"{location}: {exc.orig}") from exc
        raise
    return db
