"""Several statements sent to a PostgreSQL server together: one round trip for all of them.

psycopg's pipeline mode queues statements (and the BEGIN it opens a transaction with) and
sends them at once; the server answers them in order. Statements are SQLAlchemy Core
statements compiled for the session's dialect, so the queries are written once for SQLite
and PostgreSQL. A driver error comes out as SQLAlchemy's own error type (as from
session.execute), so the callers' handling of refusals and lost links is the same; a lost
link also invalidates the pooled connection.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Executable, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ClauseElement

# A session whose transaction a pipeline has committed (with the change notice): see
# Database.session, which then neither notifies nor commits again.
COMMITTED = "matrix_desktop.committed"

# Other copies' change feeds listen on this channel; sent by every transaction that writes.
NOTIFY = text("SELECT pg_notify('matrix_desktop_changes', '')")

_ROW_TYPES: dict[tuple[str, ...], Any] = {}


def pipelines(session: Session) -> bool:
    """Return whether this session's statements can be pipelined (a PostgreSQL server)."""
    return session.get_bind().dialect.name == "postgresql"


def _row_type(names: tuple[str, ...]) -> Any:
    row_type = _ROW_TYPES.get(names)
    if row_type is None:
        row_type = _ROW_TYPES[names] = namedtuple("PipelinedRow", names, rename=True)
    return row_type


def _begin_statement(raw: Any) -> str:
    """The BEGIN psycopg would send itself (with the connection's isolation level)."""
    parts = ["BEGIN"]
    if raw.isolation_level is not None:
        parts.append("ISOLATION LEVEL " + raw.isolation_level.name.replace("_", " "))
    if raw.read_only is not None:
        parts.append("READ ONLY" if raw.read_only else "READ WRITE")
    if raw.deferrable is not None:
        parts.append("DEFERRABLE" if raw.deferrable else "NOT DEFERRABLE")
    return " ".join(parts)


def restore_autocommit(dbapi_connection: Any, record_info: dict[str, Any]) -> None:
    """Put back the driver's own transaction handling after a pipelined BEGIN (see below).

    Called when the transaction has ended (and by the pool at check-in, in case an error
    ended it another way): the connection is idle, so the change is allowed.
    """
    if record_info.get(_SWITCHED, False):
        dbapi_connection.autocommit = False
        del record_info[_SWITCHED]


def forget_autocommit(record_info: dict[str, Any]) -> None:
    """A new connection of a pool record starts in the driver's own mode."""
    record_info.pop(_SWITCHED, None)


_SWITCHED = "matrix_desktop.autocommit_switched"


def run_pipelined(
    session: Session,
    statements: Sequence[Executable],
    *,
    end: str | None = None,
) -> list[list[Any]]:
    """Send the statements in one pipeline; return each one's rows (named tuples).

    A statement without rows (an UPDATE without RETURNING) gives []. When the session's
    transaction has not begun on the server, its BEGIN goes first in the same pipeline
    (psycopg would send it alone, a round trip of its own). end: 'COMMIT' or 'ROLLBACK'
    goes last in the same pipeline, ending the transaction (after COMMIT the session is
    marked COMMITTED).
    """
    conn = session.connection()
    dialect = conn.dialect
    proxied = conn.connection
    raw: Any = proxied.driver_connection
    queries: list[tuple[str, Any]] = []
    for statement in statements:
        clause = cast(ClauseElement, statement)
        compiled = clause.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
        # Always a dict (even empty): the compiled SQL escapes a literal % as %%.
        queries.append((str(compiled), dict(compiled.construct_params() or {})))
    from psycopg.pq import TransactionStatus

    first = 0
    if not raw.autocommit and raw.pgconn.transaction_status == TransactionStatus.IDLE:
        # psycopg would send its BEGIN alone and wait for it: instead it goes first in
        # this pipeline, with psycopg told not to (autocommit, until the transaction ends).
        raw.autocommit = True
        proxied.info[_SWITCHED] = True
        queries.insert(0, (_begin_statement(raw), None))
        first = 1
    # A session in autocommit of its own (no transaction) has nothing to end.
    ends = end is not None and (proxied.info.get(_SWITCHED, False) or not raw.autocommit)
    if end is not None and ends:
        queries.append((end, None))
    # The engine's statement events (counters, tests) see each statement as if executed alone.
    before, after = conn.dispatch.before_cursor_execute, conn.dispatch.after_cursor_execute
    cursors: list[Any] = []
    dbapi_error = dialect.loaded_dbapi.Error
    sql: str = ""
    params: Any = None
    try:
        try:
            failed: BaseException | None = None
            try:
                with raw.pipeline():
                    try:
                        for n, (sql, params) in enumerate(queries):
                            cursor = raw.cursor()
                            cursors.append(cursor)
                            if first <= n < first + len(statements) and before:
                                before(conn, cursor, sql, params, None, False)
                            cursor.execute(sql, params)
                    except dbapi_error as exc:
                        # Kept until the pipeline has synced (psycopg would otherwise log
                        # the rest's "pipeline aborted" as a warning).
                        failed = exc
            except dbapi_error as exc:
                failed = failed or exc
            if failed is not None:
                raise failed
            results: list[list[Any]] = []
            for cursor, (sql, params) in zip(
                cursors[first : first + len(statements)],
                queries[first : first + len(statements)],
                strict=True,
            ):
                if after:
                    after(conn, cursor, sql, params, None, False)
                if cursor.description is None:
                    results.append([])
                    continue
                row_type = _row_type(tuple(d.name for d in cursor.description))
                results.append([row_type._make(r) for r in cursor.fetchall()])
        finally:
            for cursor in cursors:
                cursor.close()
    except dbapi_error as exc:
        lost = dialect.is_disconnect(exc, raw, None)
        if lost:
            conn.invalidate(exc)
        raise DBAPIError.instance(
            sql, params, exc, dbapi_error, connection_invalidated=lost, dialect=dialect
        ) from exc
    if ends:
        restore_autocommit(raw, proxied.info)
        if end == "COMMIT":
            session.info[COMMITTED] = True
    return results
