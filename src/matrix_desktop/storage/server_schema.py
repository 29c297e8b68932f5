"""What opening a shared PostgreSQL database checks: its schema version and the login's roles.

Kept apart from storage.server (the administrator's commands), which imports storage.database.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

from matrix_desktop.core.access import Access
from matrix_desktop.core.errors import StorageError
from matrix_desktop.storage.schema import HEAD_REVISION, KNOWN_REVISIONS, OUR_TABLES

# The server's group roles (cluster-wide, NOLOGIN): a login is granted one or more of them.
GROUP_ROLES: dict[str, str] = {
    "administrator": "matrix_admin",
    "programme office": "matrix_office",
    "facilitator": "matrix_facilitator",
    "peer reviewer": "matrix_reviewer",
    "viewer": "matrix_viewer",
}
ROLE_OF_GROUP = {group: role for role, group in GROUP_ROLES.items()}


def _sqlstate(exc: BaseException) -> str | None:
    orig = getattr(exc, "orig", exc)
    return getattr(orig, "sqlstate", None)


def permission_denied(exc: BaseException) -> bool:
    """Return whether a driver error is the server refusing a privilege (SQLSTATE 42501)."""
    return _sqlstate(exc) == "42501"


def first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", exc)
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__


# -- what the app does on open ---------------------------------------------------------------


def check_schema(conn: Connection, where: object) -> str:
    """Return the server's schema revision if this build can use it as is.

    Raises StorageError naming the command to run: `server init` for an empty database,
    `server upgrade` for an older schema, a newer matrix-desktop for a newer one.
    """
    tables = set(
        conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        ).scalars()
    )
    revision = None
    if "alembic_version" in tables:
        if not OUR_TABLES <= tables:
            # Another application's Alembic database: never "newer", never migrated.
            shown = sorted(tables - {"alembic_version"} or tables)
            listed = ", ".join(shown[:5]) + (", …" if len(shown) > 5 else "")
            raise StorageError(
                f"{where}: is not a matrix-desktop database (it holds another application's "
                f"tables: {listed}). Nothing was changed."
            )
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if revision is None:
        if tables:
            raise StorageError(
                f"{where}: this database holds other tables but no matrix-desktop schema; "
                "choose another database. Nothing was changed."
            )
        raise StorageError(
            f"{where}: this database has no matrix-desktop schema yet; an administrator "
            f"sets it up with `matrix-desktop server init URL`. Nothing was changed."
        )
    if revision not in KNOWN_REVISIONS:
        raise StorageError(
            f"{where}: this database was set up by a newer version of matrix-desktop "
            f"(schema {revision}); install that version to use it. Nothing was changed."
        )
    if revision != HEAD_REVISION:
        raise StorageError(
            f"{where}: this database has an older schema ({revision}, this version needs "
            f"{HEAD_REVISION}); an administrator upgrades it with "
            f"`matrix-desktop server upgrade URL`. Nothing was changed."
        )
    return str(revision)


def read_access(conn: Connection) -> Access:
    """Return what the connected login may do: its group roles and named entities (1 query)."""
    login, owner, groups, named = conn.execute(
        text(
            "SELECT session_user, "
            "coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false) "
            "OR coalesce((SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() "
            "AND tablename = 'alembic_version') = session_user, false), "
            "ARRAY(SELECT rolname::text FROM pg_roles WHERE rolname = ANY(:groups) "
            "AND pg_has_role(session_user, oid, 'MEMBER')), "
            "ARRAY(SELECT ARRAY[a.role, a.entity_id, e.name] FROM entity_access a "
            "JOIN entity e ON e.id = a.entity_id WHERE a.login = session_user)"
        ),
        {"groups": list(ROLE_OF_GROUP)},
    ).one()
    rows = [tuple(r) for r in named or []]
    return Access(
        login=str(login),
        roles=frozenset(ROLE_OF_GROUP[g] for g in groups or []),
        owner=bool(owner),
        facilitates=frozenset(r[1] for r in rows if r[0] == "facilitator"),
        reviews=frozenset(r[1] for r in rows if r[0] == "peer_reviewer"),
        entity_names=tuple(sorted({(r[1], r[2]) for r in rows})),
    )
