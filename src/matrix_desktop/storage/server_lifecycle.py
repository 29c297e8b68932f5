"""A shared PostgreSQL database run by an administrator: schema checks, init, upgrade, roles.

The desktop app and ordinary commands only check the schema (check_schema) and read what
the login may do (read_access); they never migrate a server. `server init` and
`server upgrade` (an administrator, as the schema's owner) migrate, seed the bundled
frameworks and (re)apply the group roles, GRANTs and row-level-security policies below.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import Connection, Engine

from matrix_desktop.core.access import ROLES
from matrix_desktop.core.errors import NotFound, PermissionRefused, StorageError, ValidationFailed
from matrix_desktop.storage.schema import HEAD_REVISION, KNOWN_REVISIONS
from matrix_desktop.storage.server_schema import (
    GROUP_ROLES,
    ROLE_OF_GROUP,
    check_schema,
    first_line,
    permission_denied,
)

log = logging.getLogger(__name__)

# Roles named per entity, and the entity_access.role value each writes.
ENTITY_ROLES = {"facilitator": "facilitator", "peer reviewer": "peer_reviewer"}
_ROLE_SPELLINGS = {
    "admin": "administrator",
    "office": "programme office",
    "programme-office": "programme office",
    "programme_office": "programme office",
    "program office": "programme office",
    "reviewer": "peer reviewer",
    "peer-reviewer": "peer reviewer",
    "peer_reviewer": "peer reviewer",
}
_LOCK_KEY = 727_100_13  # pg_advisory_lock key: one init/upgrade at a time per database

# Tables an assessment owns: row-level security decides row by row who may see and change.
# Feedback on the matrix (0008): facilitators and peer reviewers add it to the assessments
# they may edit; the programme office and the administrator read and manage all of it.
_ASSESSMENT_CHILDREN = ("rating", "vote", "sync_hash", "sync_base", "matrix_feedback")
# The trash (0005) is kept with them: on a server only the administrator and the programme
# office move assessments to it and back.
_CATALOG_TABLES = ("framework", "system", "entity", "round", "app_meta", "assessment_trash")


def _is_server(url: str) -> bool:
    return url.startswith("postgresql")


# -- administration ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginRoles:
    """One login's roles on the server, for `server roles`."""

    login: str
    roles: tuple[str, ...]
    entities: tuple[tuple[str, str], ...]  # (role, entity name)


@contextmanager
def _admin_engine(url: str) -> Iterator[tuple[Engine, str]]:
    from matrix_desktop.storage.database import resolve_location

    location = resolve_location(url)
    if location.is_sqlite or not _is_server(location.url):
        raise ValidationFailed(
            f"{location}: `server` commands are for a PostgreSQL URL "
            "(postgresql+psycopg://user@host/database); a SQLite file sets itself up when opened."
        )
    from matrix_desktop.storage.server import connect_args, explain_server_error, redact_url

    # Connect timeout and keepalives as every server connection has; no statement timeout:
    # an upgrade of a large database may run longer than an edit ever should.
    args = connect_args(location.url)
    args.pop("options", None)
    engine = create_engine(location.url, connect_args=args)
    where = str(location)
    try:
        yield engine, where
    except StorageError:
        raise
    except Exception as exc:
        from sqlalchemy.exc import DBAPIError

        if not isinstance(exc, DBAPIError):
            raise
        explained = None if permission_denied(exc) else explain_server_error(where, exc)
        if explained is not None:
            raise explained from None
        if permission_denied(exc):
            raise PermissionRefused(
                f"{where}: the server refused: {first_line(exc)}; run this as the schema's "
                "owner (or a role with CREATEROLE for grant and revoke). Nothing was changed."
            ) from None
        raise StorageError(
            f"{where}: {redact_url(first_line(exc))}. Nothing was changed."
        ) from None
    finally:
        engine.dispose()


@contextmanager
def _schema_lock(engine: Engine) -> Iterator[None]:
    """Hold the per-database advisory lock, so two inits or upgrades run one after the other."""
    with engine.connect() as lock:
        lock.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _LOCK_KEY})
        lock.commit()
        try:
            yield
        finally:
            lock.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _LOCK_KEY})
            lock.commit()


def _revision(conn: Connection) -> tuple[str | None, int]:
    has_version, tables = conn.execute(
        text(
            "SELECT to_regclass('alembic_version') IS NOT NULL, "
            "(SELECT count(*) FROM pg_tables WHERE schemaname = current_schema())"
        )
    ).one()
    if not has_version:
        return None, int(tables)
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar(), int(tables)


def _migrate(conn: Connection) -> None:
    from alembic import command
    from alembic.config import Config

    from matrix_desktop.paths import migrations_dir

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")


def _seed(engine: Engine, url: str) -> list[str]:
    from matrix_desktop.storage.database import Database, resolve_location
    from matrix_desktop.storage.frameworks_repo import seed_bundled_frameworks

    return seed_bundled_frameworks(Database(resolve_location(url), engine, read_only=False))


def init_server(url: str) -> list[str]:
    """Create the schema, group roles and policies in an empty database; returns what it did.

    On a database already at this version it only reapplies the roles and policies.
    """
    done: list[str] = []
    with _admin_engine(url) as (engine, where), _schema_lock(engine):
        with engine.begin() as conn:
            revision, tables = _revision(conn)
            if revision is None and tables:
                raise StorageError(
                    f"{where}: this database holds other tables; `server init` needs an empty "
                    "database. Nothing was changed."
                )
            if revision is not None and revision not in KNOWN_REVISIONS:
                raise StorageError(
                    f"{where}: this database was set up by a newer version of matrix-desktop "
                    f"(schema {revision}); install that version. Nothing was changed."
                )
            if revision is not None and revision != HEAD_REVISION:
                raise StorageError(
                    f"{where}: this database already has an older schema ({revision}); run "
                    "`matrix-desktop server upgrade URL` instead. Nothing was changed."
                )
            if revision is None:
                _migrate(conn)
                done.append(f"created the matrix-desktop schema {HEAD_REVISION}")
            else:
                done.append(f"the schema was already at {HEAD_REVISION}")
            apply_security(conn)
            done.append("group roles, privileges and row-level security in place")
        added = _seed(engine, url)
        if added:
            done.append("added the bundled frameworks: " + ", ".join(added))
    return done


def _owner_check(conn: Connection, where: str) -> None:
    login, owner, is_owner = conn.execute(
        text(
            "SELECT session_user, tableowner, "
            "tableowner = session_user OR (SELECT rolsuper FROM pg_roles "
            "WHERE rolname = session_user) FROM pg_tables "
            "WHERE schemaname = current_schema() AND tablename = 'alembic_version'"
        )
    ).one()
    if not is_owner:
        raise PermissionRefused(
            f"{where}: only the schema's owner ({owner}) can upgrade it, and you are connected "
            f"as {login}; connect as {owner}. Nothing was changed."
        )


def dump_server(url: str, folder: Path, reason: str) -> Path | None:
    """Write a pg_dump custom-format backup into folder; None when pg_dump is not installed.

    Raises StorageError when pg_dump runs and fails (nothing else is done then). The
    connection and the tool run as for `backup create` (storage.server_backup).
    """
    from matrix_desktop.storage import server_backup
    from matrix_desktop.storage.server import redact_url

    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"{make_url(url).database}-{reason}-{stamp}.dump"
    conninfo, env = server_backup.libpq_target(url)
    try:
        server_backup.run_tool(
            [pg_dump, "-Fc", "-f", str(target), "-d", conninfo], env, "pg_dump", redact_url(url)
        )
    except StorageError as exc:
        target.unlink(missing_ok=True)
        raise StorageError(f"{exc}, so nothing was upgraded") from None
    return target


def upgrade_server(url: str, backup_folder: Path) -> list[str]:
    """Migrate a server database to this version (owner only), after a pg_dump backup.

    Returns what it did, including where the backup is or why there is none.
    """
    done: list[str] = []
    with _admin_engine(url) as (engine, where), _schema_lock(engine):
        with engine.connect() as conn:
            has_schema = conn.execute(
                text("SELECT to_regclass('alembic_version') IS NOT NULL")
            ).scalar()
            if has_schema:
                _owner_check(conn, where)
            revision, _tables = _revision(conn)
            if revision is None:
                raise StorageError(
                    f"{where}: this database has no matrix-desktop schema; set it up with "
                    "`matrix-desktop server init URL`. Nothing was changed."
                )
            if revision not in KNOWN_REVISIONS:
                raise StorageError(
                    f"{where}: this database was set up by a newer version of matrix-desktop "
                    f"(schema {revision}); install that version. Nothing was changed."
                )
            conn.rollback()
        if revision != HEAD_REVISION:
            dump = dump_server(url, backup_folder, f"before-{HEAD_REVISION}")
            if dump is None:
                done.append(
                    "no backup was made first: pg_dump is not installed (install PostgreSQL's "
                    "client programs, or back the database up yourself before upgrading)"
                )
            else:
                done.append(f"backed up to {dump}")
        with engine.begin() as conn:
            if revision != HEAD_REVISION:
                _migrate(conn)
                done.append(f"upgraded the schema from {revision} to {HEAD_REVISION}")
            else:
                done.append(f"the schema was already at {HEAD_REVISION}")
            apply_security(conn)
            done.append("group roles, privileges and row-level security in place")
        added = _seed(engine, url)
        if added:
            done.append("added the bundled frameworks: " + ", ".join(added))
    return done


def role_name(text_: str) -> str:
    """Return the canonical role for what a user typed (e.g. 'office'); ValidationFailed if none."""
    low = " ".join(text_.strip().lower().split())
    low = _ROLE_SPELLINGS.get(low, low)
    if low not in GROUP_ROLES:
        raise ValidationFailed(f"{text_!r} is not a role; choose one of: {', '.join(ROLES)}.")
    return low


def _quote(engine: Engine, login: str) -> str:
    if not login or len(login) > 63 or "\x00" in login:
        raise ValidationFailed(f"{login!r} is not a valid login name.")
    return str(engine.dialect.identifier_preparer.quote_identifier(login))


def _entity_ids(conn: Connection, names: list[str]) -> list[tuple[str, str]]:
    found = []
    for name in names:
        rows = conn.execute(
            text("SELECT id, name FROM entity WHERE lower(name) = lower(:n)"), {"n": name.strip()}
        ).all()
        if not rows:
            raise NotFound(f"no entity named {name!r}; nothing was granted.")
        found.append((str(rows[0][0]), str(rows[0][1])))
    return found


def grant(url: str, login: str, role_text: str, entities: list[str]) -> list[str]:
    """Give a login a role (creating the login, without a password, if missing)."""
    role = role_name(role_text)
    if role in ENTITY_ROLES and not entities:
        raise ValidationFailed(f"A {role} needs at least one --entity NAME.")
    if role not in ENTITY_ROLES and entities:
        raise ValidationFailed(f"A {role} is not tied to entities; leave out --entity.")
    done = []
    with _admin_engine(url) as (engine, where), engine.begin() as conn:
        check_schema(conn, where)
        named = _entity_ids(conn, entities)
        quoted = _quote(engine, login)
        exists = conn.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :l"), {"l": login}
        ).scalar()
        if not exists:
            conn.execute(text(f"CREATE ROLE {quoted} LOGIN"))
            done.append(
                f"created the login {login} with no password: set one in psql with "
                f"\\password {login}"
            )
        conn.execute(text(f"GRANT {GROUP_ROLES[role]} TO {quoted}"))
        for entity_id, _name in named:
            conn.execute(
                text(
                    "INSERT INTO entity_access (login, role, entity_id) VALUES (:l, :r, :e) "
                    "ON CONFLICT DO NOTHING"
                ),
                {"l": login, "r": ENTITY_ROLES[role], "e": entity_id},
            )
        what = f" of {', '.join(n for _i, n in named)}" if named else ""
        done.append(f"{login} is now {role}{what}")
    return done


def revoke(url: str, login: str, role_text: str | None, entities: list[str]) -> list[str]:
    """Take a role (or every role) from a login; with entities, only those entities."""
    role = role_name(role_text) if role_text else None
    with _admin_engine(url) as (engine, where), engine.begin() as conn:
        check_schema(conn, where)
        quoted = _quote(engine, login)
        if not conn.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :l"), {"l": login}
        ).scalar():
            raise NotFound(f"{where}: there is no login {login!r}; nothing was revoked.")
        roles = [role] if role else list(GROUP_ROLES)
        named = _entity_ids(conn, entities)
        done = []
        for r in roles:
            access_role = ENTITY_ROLES.get(r)
            if access_role and named:
                conn.execute(
                    text(
                        "DELETE FROM entity_access WHERE login = :l AND role = :r "
                        "AND entity_id = ANY(:ids)"
                    ),
                    {"l": login, "r": access_role, "ids": [i for i, _n in named]},
                )
                left = conn.execute(
                    text("SELECT count(*) FROM entity_access WHERE login = :l AND role = :r"),
                    {"l": login, "r": access_role},
                ).scalar()
                done.append(f"{login} is no longer {r} of {', '.join(n for _i, n in named)}")
                if left:
                    continue
            elif access_role:
                conn.execute(
                    text("DELETE FROM entity_access WHERE login = :l AND role = :r"),
                    {"l": login, "r": access_role},
                )
            conn.execute(text(f"REVOKE {GROUP_ROLES[r]} FROM {quoted}"))
            if not (access_role and named):
                done.append(f"{login} is no longer {r}" if role else "")
        if role is None:
            done = [f"{login} has no role on this database now"]
    return [d for d in done if d]


def list_roles(url: str) -> list[LoginRoles]:
    """Return every login holding a matrix-desktop role, by name."""
    with _admin_engine(url) as (engine, where), engine.connect() as conn:
        check_schema(conn, where)
        members = conn.execute(
            text(
                "SELECT u.rolname, g.rolname FROM pg_auth_members m "
                "JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member "
                "WHERE g.rolname = ANY(:groups) ORDER BY u.rolname"
            ),
            {"groups": list(ROLE_OF_GROUP)},
        ).all()
        named = conn.execute(
            text(
                "SELECT a.login, a.role, e.name FROM entity_access a "
                "JOIN entity e ON e.id = a.entity_id ORDER BY a.login, a.role, e.name"
            )
        ).all()
    order = list(GROUP_ROLES)
    logins: dict[str, set[str]] = {}
    for user, group in members:
        logins.setdefault(str(user), set()).add(ROLE_OF_GROUP[str(group)])
    back = {v: k for k, v in ENTITY_ROLES.items()}
    result = []
    for login in sorted(logins):
        roles = tuple(r for r in order if r in logins[login])
        ents = tuple((back[str(r)], str(n)) for lg, r, n in named if lg == login)
        result.append(LoginRoles(login, roles, ents))
    return result


# -- privileges and policies -------------------------------------------------------------------


def _columns(conn: Connection, table: str, keys: set[str]) -> str:
    from matrix_desktop.storage.tables import SQLModel

    cols = [c.name for c in SQLModel.metadata.tables[table].columns if c.name not in keys]
    prep = conn.dialect.identifier_preparer
    return ", ".join(prep.quote(c) for c in cols)


def _security_statements(conn: Connection) -> list[str]:
    schema = conn.execute(text("SELECT quote_ident(current_schema())")).scalar()
    admin, office, facil, review, viewer = GROUP_ROLES.values()
    everyone = ", ".join(GROUP_ROLES.values())
    writers_all = f"{admin}, {office}"
    placed = f"{facil}, {review}"
    out = [
        f"""DO $$ BEGIN
            {
            "".join(
                f"IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{g}') THEN "
                f"CREATE ROLE {g} NOLOGIN; END IF; "
                for g in GROUP_ROLES.values()
            )
        }
        EXCEPTION WHEN duplicate_object THEN NULL; END $$""",
        f"GRANT USAGE ON SCHEMA {schema} TO {everyone}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM PUBLIC",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {everyone}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {everyone}",
        # The audit trail: everyone with a role appends, nobody changes (the triggers of
        # 0004 refuse UPDATE, DELETE and TRUNCATE even for the owner).
        f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM {everyone}",
        f"GRANT INSERT ON audit_event TO {admin}, {office}, {facil}, {review}",
        f"GRANT INSERT, UPDATE, DELETE ON {', '.join(_CATALOG_TABLES)} TO {writers_all}",
        f"GRANT INSERT ON round TO {placed}",
        # Pairings (0007): the programme office pairs places and records how it goes;
        # facilitators, peer reviewers and viewers read them.
        f"GRANT INSERT, UPDATE, DELETE ON pairing TO {writers_all}",
        f"GRANT INSERT, UPDATE, DELETE ON entity_access TO {admin}",
        # Functions the policies call: SECURITY DEFINER so they read entity_access and the
        # assessment row whatever the caller may see (and no policy recursion).
        f"""CREATE OR REPLACE FUNCTION matrix_reads_all() RETURNS boolean
            LANGUAGE sql STABLE SET search_path = {schema}, pg_temp AS $$
            SELECT pg_has_role(session_user, '{admin}', 'MEMBER')
                OR pg_has_role(session_user, '{office}', 'MEMBER')
                OR pg_has_role(session_user, '{facil}', 'MEMBER')
                OR pg_has_role(session_user, '{viewer}', 'MEMBER') $$""",
        f"""CREATE OR REPLACE FUNCTION matrix_may_write(p_entity text, p_kind text,
                p_created_by text) RETURNS boolean
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
            SELECT pg_has_role(session_user, '{admin}', 'MEMBER')
                OR pg_has_role(session_user, '{office}', 'MEMBER')
                OR (p_kind = 'self_assessment'
                    AND pg_has_role(session_user, '{facil}', 'MEMBER')
                    AND EXISTS (SELECT 1 FROM entity_access WHERE login = session_user
                                AND role = 'facilitator' AND entity_id = p_entity))
                OR (p_kind = 'peer_review'
                    AND pg_has_role(session_user, '{review}', 'MEMBER')
                    AND p_created_by = session_user
                    AND EXISTS (SELECT 1 FROM entity_access WHERE login = session_user
                                AND role = 'peer_reviewer' AND entity_id = p_entity)) $$""",
        f"""CREATE OR REPLACE FUNCTION matrix_may_read(p_entity text, p_kind text,
                p_created_by text) RETURNS boolean
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
            SELECT matrix_reads_all() OR matrix_may_write(p_entity, p_kind, p_created_by)
                OR (p_kind = 'self_assessment'
                    AND pg_has_role(session_user, '{review}', 'MEMBER')
                    AND EXISTS (SELECT 1 FROM entity_access WHERE login = session_user
                                AND role = 'peer_reviewer' AND entity_id = p_entity)) $$""",
        f"""CREATE OR REPLACE FUNCTION matrix_may_write_in(p_assessment text) RETURNS boolean
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
            SELECT coalesce((SELECT matrix_may_write(entity_id, kind, created_by)
                             FROM assessment WHERE id = p_assessment), false) $$""",
        f"""CREATE OR REPLACE FUNCTION matrix_may_read_in(p_assessment text) RETURNS boolean
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
            SELECT coalesce((SELECT matrix_may_read(entity_id, kind, created_by)
                             FROM assessment WHERE id = p_assessment), false) $$""",
    ]
    # Assessments: the key, entity, kind and creator are fixed once made (column grants), so
    # the WITH CHECK on the new row is a check on the row as it was; an UPDATE the role may
    # not make fails loudly instead of matching no rows.
    fixed = {"id", "entity_id", "kind", "created_by"}
    out += [
        f"GRANT INSERT, UPDATE, DELETE ON assessment TO {writers_all}",
        f"GRANT INSERT, DELETE ON assessment TO {placed}",
        f"GRANT UPDATE ({_columns(conn, 'assessment', fixed)}) ON assessment TO {placed}",
        "ALTER TABLE assessment ENABLE ROW LEVEL SECURITY",
        *_policies(
            "assessment",
            read="matrix_may_read(entity_id, kind, created_by)",
            write="matrix_may_write(entity_id, kind, created_by)",
        ),
    ]
    keys = {
        "rating": {"assessment_id", "domain_key"},
        "vote": {"assessment_id", "participant_id", "domain_key"},
        "sync_hash": {"assessment_id", "content_hash"},
        "sync_base": {"assessment_id", "content_hash"},
        "matrix_feedback": {"id", "assessment_id", "framework_key", "framework_version"},
    }
    for table in _ASSESSMENT_CHILDREN:
        out += [
            f"GRANT INSERT, UPDATE, DELETE ON {table} TO {writers_all}",
            f"GRANT INSERT, DELETE ON {table} TO {placed}",
            f"GRANT UPDATE ({_columns(conn, table, keys[table])}) ON {table} TO {placed}",
            f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
            *_policies(
                table,
                read="matrix_reads_all() OR matrix_may_read_in(assessment_id)",
                write="matrix_may_write_in(assessment_id)",
            ),
        ]
    return out


def _policies(table: str, *, read: str, write: str) -> list[str]:
    names = ("read", "insert", "update", "delete")
    out = [f"DROP POLICY IF EXISTS matrix_{n} ON {table}" for n in names]
    return out + [
        f"CREATE POLICY matrix_read ON {table} FOR SELECT USING ({read})",
        f"CREATE POLICY matrix_insert ON {table} FOR INSERT WITH CHECK ({write})",
        f"CREATE POLICY matrix_update ON {table} FOR UPDATE USING (true) WITH CHECK ({write})",
        f"CREATE POLICY matrix_delete ON {table} FOR DELETE USING ({write})",
    ]


def apply_security(conn: Connection) -> None:
    """Create the group roles and (re)apply every GRANT and policy; safe to run again."""
    for statement in _security_statements(conn):
        conn.execute(text(statement))
