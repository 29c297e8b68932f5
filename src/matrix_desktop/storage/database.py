"""Opening a database: URLs, SQLite pragmas, schema checks, migrations, first-start seeding."""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from matrix_desktop.core.access import Access
from matrix_desktop.core.errors import PermissionRefused, StorageError
from matrix_desktop.storage.backup import (
    CHANGE_COUNTER_KEY,
    backup_database,
    ro_uri,
    timestamped_backup_path,
)
from matrix_desktop.storage.pipeline import COMMITTED
from matrix_desktop.storage.pipeline import NOTIFY as _NOTIFY
from matrix_desktop.storage.schema import HEAD_REVISION, KNOWN_REVISIONS, OUR_TABLES

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
READ_OPTION = "matrix_desktop_read"  # execution option: this transaction only reads
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
    from matrix_desktop.storage.server import redact_url

    return redact_url(url)


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


def ensure_folder(path: Path) -> Path:
    """Create the folder a database file goes in; StorageError says what to do if it can't."""
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(
            f"{path}: cannot create the folder {parent} ({exc.strerror}); {_WHERE_ELSE}"
        ) from None
    return parent


def _check_sqlite_file(path: Path, read_only: bool) -> None:
    from matrix_desktop.paths import windows_path_problem

    too_long = windows_path_problem(path)
    if too_long:
        raise StorageError(too_long)
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
        parent = ensure_folder(path)
        if not os.access(parent, os.W_OK):
            raise StorageError(f"{path}: the folder {parent} is not writable; {_WHERE_ELSE}")
    else:
        raise StorageError(f"{path}: no such database")


# OUR_TABLES (storage.schema): with an alembic_version, they tell our database (perhaps from
# a newer version) from another application's that also uses Alembic.


def is_sqlite_file(path: Path) -> bool:
    """Return True when the file exists and starts with SQLite's header."""
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == SQLITE_MAGIC
    except OSError:
        return False


def _not_ours(where: object, tables: set[str] | frozenset[str]) -> StorageError:
    shown = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
    return StorageError(
        f"{where}: is not a matrix-desktop database (it holds another application's tables: "
        f"{shown}). Nothing was changed."
    )


def _sqlite_revision(path: Path, read_only: bool = False) -> str | None:
    """Return the schema revision stamped in a SQLite file, or None for an empty database.

    An empty database is a new one to a writable open; a read-only open cannot make it one
    and says so. A file with tables but not ours (with or without an alembic_version of its
    own) is refused as not a matrix-desktop database.
    """
    if not path.exists() or path.stat().st_size == 0:
        if read_only and path.exists():
            raise StorageError(f"{path}: is empty, not a matrix-desktop database")
        return None
    try:
        con = sqlite3.connect(ro_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            tables = {
                str(name)
                for (name,) in con.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                )
            }
            if not tables:
                if read_only:
                    raise StorageError(
                        f"{path}: is an empty SQLite file (no tables), not a matrix-desktop "
                        "database"
                    )
                return None
            if "alembic_version" not in tables or not OUR_TABLES <= tables:
                raise _not_ours(path, tables - {"alembic_version"} or tables)
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"{path}: cannot be read as a database ({exc})") from None
    return row[0] if row else None


def _install_sqlite_pragmas(engine: Engine, read_only: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
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
    def _on_begin(conn: Connection) -> None:
        # Writers take the write lock at once (no SQLITE_BUSY half-way through an edit);
        # readers begin deferred, so a read inside a write never waits on the writer.
        deferred = read_only or conn.get_execution_options().get(READ_OPTION, False)
        conn.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")


# SQLite's messages for failures of the disk or file rather than of the data; each maps to
# a reason the GUI can act on and whether trying again later can succeed.
_WRITE_FAILURES: tuple[tuple[str, str, bool, str], ...] = (
    (
        "database or disk is full",
        "disk_full",
        True,
        "the disk is full; free some space and the change will be saved",
    ),
    (
        "disk i/o error",
        "io_error",
        True,
        "the disk reported an error while saving; check the drive and try again",
    ),
    (
        "attempt to write a readonly database",
        "read_only",
        False,
        "the database file has become read-only",
    ),
    (
        "database is locked",
        "locked",
        True,
        "another program is holding the database; try again in a moment",
    ),
    (
        "database is busy",
        "locked",
        True,
        "another program is holding the database; try again in a moment",
    ),
    (
        "database disk image is malformed",
        "damaged",
        False,
        "the database file is damaged; restore a backup",
    ),
    ("file is not a database", "damaged", False, "the database file is damaged; restore a backup"),
    (
        "unable to open database file",
        "io_error",
        True,
        "the database file cannot be reached (removed drive or network?)",
    ),
)


class WriteFailed(StorageError):
    """A change could not be saved; nothing of it was written (the transaction rolled back).

    `reason` is 'disk_full', 'io_error', 'read_only', 'locked', 'damaged', 'refused' or
    'offline' (a server that cannot be reached);
    `retryable` says whether the same change can be tried again later.
    """

    def __init__(self, message: str, reason: str, retryable: bool):
        super().__init__(message)
        self.reason = reason
        self.retryable = retryable


def classify_write_error(location: object, exc: BaseException) -> WriteFailed | None:
    """Return the WriteFailed for a driver error about the disk or file, or None."""
    orig = getattr(exc, "orig", exc)
    text_ = str(orig).lower()
    for needle, reason, retryable, message in _WRITE_FAILURES:
        if needle in text_:
            return WriteFailed(f"{location}: not saved: {message} ({orig})", reason, retryable)
    from matrix_desktop.storage.server import explain_server_error

    explained = explain_server_error(location, exc)
    if explained is not None and explained.retryable:
        # The server cannot be reached (link refused or dropped): keep the edit, retry it.
        return WriteFailed(f"not saved: {explained}", "offline", True)
    return None


class Database:
    """An open database: its engine, location and whether it is read-only."""

    def __init__(self, location: DatabaseLocation, engine: Engine, read_only: bool):
        self.location = location
        self.engine = engine
        self.read_only = read_only
        # The same pool, but transactions begin deferred (see _install_sqlite_pragmas).
        self.read_engine = engine.execution_options(**{READ_OPTION: True})
        if not location.is_sqlite:
            # A record is read in several statements: one snapshot, so its revision and
            # its ratings are of the same moment (SQLite's read transaction already is).
            self.read_engine = self.read_engine.execution_options(isolation_level="REPEATABLE READ")
        # Set when a check finds damage: every later write is refused (see session()).
        self.refuse_writes: str | None = None
        # On a server: the login's roles and named entities (None: a local file, all allowed).
        self.access: Access | None = None
        self.closed = False

    @property
    def path(self) -> Path | None:
        return self.location.path

    @contextmanager
    def session(self) -> Iterator[Session]:
        """Yield a session in one transaction, committed on success, rolled back on error.

        Raises WriteFailed (nothing written) when the disk is full, reports an I/O error or
        the database is damaged. On SQLite, a transaction that changed rows also bumps the
        change counter in app_meta, which tells backups whether the data has changed.
        """
        if self.refuse_writes:
            raise WriteFailed(f"{self.location}: {self.refuse_writes}", "refused", False)
        from sqlalchemy.exc import OperationalError

        try:
            with Session(self.engine, expire_on_commit=False, autoflush=False) as session:
                with session.begin():
                    raw = None
                    if self.location.is_sqlite:
                        raw = session.connection().connection.driver_connection
                        before = raw.total_changes  # type: ignore[union-attr]
                    yield session
                    if raw is not None:
                        session.flush()
                        if raw.total_changes != before:
                            session.execute(_BUMP_COUNTER, {"key": CHANGE_COUNTER_KEY})
                    elif not session.info.get(COMMITTED):
                        # Other copies' change feeds listen on this channel (sent at commit).
                        # (An edit sends it in the pipeline that commits: storage.pipeline.)
                        session.execute(_NOTIFY)
        except (OperationalError, sqlite3.OperationalError) as exc:
            failed = classify_write_error(self.location, exc)
            if failed is None:
                raise
            log.warning("write to %s failed: %s", self.location, exc)
            raise failed from exc
        except DBAPIError as exc:
            refused = refusal(self, exc)
            if refused is None:
                raise
            raise refused from exc

    def backup(self, reason: str) -> Path | None:
        """Write a verified backup of the database now; returns its path (None unless SQLite)."""
        if self.path is None or not self.path.exists():
            return None
        return backup_database(self.path, timestamped_backup_path(self.path, reason))

    def change_counter(self) -> int:
        """Return the change counter (0 for a database that never changed; SQLite only)."""
        with self.read_engine.connect() as conn:
            value = conn.execute(
                text("SELECT value FROM app_meta WHERE key = :key"), {"key": CHANGE_COUNTER_KEY}
            ).scalar()
        return int(value or 0)

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """Yield a session for reading (rolled back at the end)."""
        try:
            with Session(self.read_engine, autoflush=False) as session:
                yield session
                session.rollback()
        except DBAPIError as exc:
            refused = refusal(self, exc)
            if refused is None:
                raise
            raise refused from exc

    def pragma(self, name: str) -> str:
        with self.read_engine.connect() as conn:
            return str(conn.exec_driver_sql(f"PRAGMA {name}").scalar())

    def close(self) -> None:
        self.closed = True
        self.engine.dispose()


def refusal(db: Database, exc: BaseException) -> PermissionRefused | None:
    """Return the one-sentence error for the server refusing this login a privilege, or None."""
    from matrix_desktop.storage.server_schema import first_line, permission_denied

    if db.location.is_sqlite or not permission_denied(exc):
        return None
    log.info("%s refused: %s", db.location, first_line(exc))
    if db.access is None:
        return PermissionRefused(
            f"{db.location}: your login has no role on this database; ask its administrator "
            "to run `matrix-desktop server grant LOGIN ROLE`. Nothing was changed."
        )
    return PermissionRefused(f"{db.access.refusal()} Nothing was changed.")


_BUMP_COUNTER = text(
    "INSERT INTO app_meta (key, value) VALUES (:key, '1') "
    "ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)"
)


def current_revision(engine: Engine) -> str | None:
    """Return the Alembic revision stamped in the database (None when there is none)."""
    with engine.execution_options(**{READ_OPTION: True}).connect() as conn:
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

    A server (PostgreSQL URL) is never migrated or seeded here: an empty, older or newer
    schema raises StorageError naming what an administrator runs (storage.server_lifecycle).

    Raises StorageError with a message naming the database and the problem; nothing is
    written to a database this build cannot use.
    """
    location = resolve_location(target)
    if location.is_sqlite:
        assert location.path is not None
        _check_sqlite_file(location.path, read_only)
        revision = _sqlite_revision(location.path, read_only)
        if revision is not None and revision not in KNOWN_REVISIONS:
            raise StorageError(
                f"{location.path}: this database was written by a newer version of "
                f"matrix-desktop (schema {revision}); install the newer version to open it. "
                "Nothing was changed."
            )
        url = location.url
        if read_only:
            url = f"sqlite:///file:{location.path}?mode=ro&uri=true"
            if not os.access(location.path.parent, os.W_OK):
                # A read-only folder (or medium): nobody can be writing, and SQLite could
                # not create the -shm file a WAL reader otherwise needs.
                url += "&immutable=1"
        engine = create_engine(url)
        _install_sqlite_pragmas(engine, read_only)
    else:
        from matrix_desktop.storage.server import probe, server_engine

        engine = server_engine(location.url)
        probe(engine, location)  # a wrong password or a server down: one clear sentence
        revision = None  # checked below by server_schema.check_schema (never migrated here)
    db = Database(location, engine, read_only)
    try:
        if not location.is_sqlite:
            # A server is set up and upgraded by its administrator (storage.server_lifecycle),
            # never by opening it: only check the schema and read what this login may do.
            from matrix_desktop.storage import server_schema as server

            with engine.connect() as conn:
                server.check_schema(conn, location)
                db.access = server.read_access(conn)
                conn.rollback()
            return db
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
        from sqlalchemy.exc import DBAPIError, OperationalError

        from matrix_desktop.storage.server import explain_server_error, redact_url

        refused = refusal(db, exc)  # first: a login without a role is told whom to ask
        if refused is not None:
            raise refused from None
        if isinstance(exc, DBAPIError) and not location.is_sqlite:
            explained = explain_server_error(location, exc)
            if explained is not None:
                raise explained from None
        if isinstance(exc, OperationalError):
            raise StorageError(f"{location}: {redact_url(str(exc.orig))}") from exc
        raise
    return db
