"""Being a well-behaved client of a PostgreSQL server: timeouts, keepalives, clear messages.

Every connection gets a connect timeout, a statement timeout and TCP keepalives, so a
server that is down, a dropped link or a stuck query ends in a message within seconds
rather than a frozen window. Driver errors become one sentence naming what is wrong and
what to do; no message ever carries a password (redact_url is the one redaction used
wherever a URL or a driver message is shown or logged).
"""

from __future__ import annotations

import logging
import os
import re
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine, make_url

from matrix_desktop.core.errors import StorageError
from matrix_desktop.core.redact import redact_url

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 10
STATEMENT_TIMEOUT_S = 30
# Overrides, in seconds (e.g. a slow link abroad); the URL's own query keys win over both.
CONNECT_TIMEOUT_ENV = "MATRIX_DESKTOP_CONNECT_TIMEOUT"
STATEMENT_TIMEOUT_ENV = "MATRIX_DESKTOP_STATEMENT_TIMEOUT"
# A silent drop (cable out, Wi-Fi gone, VPN down) is noticed after about 5 + 3 x 2 s.
KEEPALIVE = {"keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2, "keepalives_count": 3}


def _seconds(env: str, default: int) -> int:
    raw = os.environ.get(env, "").strip()
    if not raw:
        return default
    try:
        value = int(float(raw))
    except ValueError:
        raise StorageError(f"{env}={raw!r}: give a number of seconds, such as {default}") from None
    if value < 0:
        raise StorageError(f"{env}={raw!r}: give a number of seconds of 0 or more")
    return value


def connect_args(url: str) -> dict[str, object]:
    """Return the driver settings for a server connection: timeouts and keepalives.

    Keys already in the URL's query (connect_timeout=..., options=...) are left as given.
    A statement timeout of 0 means none (as in PostgreSQL).
    """
    given = set(make_url(url).query)
    args: dict[str, object] = {}
    if "connect_timeout" not in given:
        args["connect_timeout"] = _seconds(CONNECT_TIMEOUT_ENV, CONNECT_TIMEOUT_S)
    if "options" not in given:
        statement_ms = _seconds(STATEMENT_TIMEOUT_ENV, STATEMENT_TIMEOUT_S) * 1000
        args["options"] = f"-c statement_timeout={statement_ms}"
    for key, value in KEEPALIVE.items():
        if key not in given:
            args[key] = value
    return args


# A pooled connection idle longer than this is checked (one round trip) before it is used;
# one in steady use is not: a ping before every read would add a round trip to each. A link
# that dropped meanwhile fails the first statement instead, which the edit path keeps and
# retries (the pool then connects afresh).
PING_AFTER_IDLE_S = 10.0


def server_engine(url: str, **kwargs: object) -> Engine:
    """Return an engine for a server URL with timeouts and keepalives on every connection."""
    import time

    from sqlalchemy import event
    from sqlalchemy.exc import DisconnectionError

    engine = create_engine(url, connect_args=connect_args(url), **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(_dbapi: object, record: Any) -> None:
        from matrix_desktop.storage.pipeline import forget_autocommit

        record.info["idle_since"] = time.monotonic()
        forget_autocommit(record.info)

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi: Any, record: Any) -> None:
        if record is not None:
            record.info["idle_since"] = time.monotonic()
            if dbapi is not None:
                from matrix_desktop.storage.pipeline import restore_autocommit

                try:  # a transaction begun in a pipeline and ended by an error's rollback
                    restore_autocommit(dbapi, record.info)
                except Exception:  # noqa: BLE001 - a broken connection: the pool drops it
                    log.debug("could not reset a connection's autocommit", exc_info=True)

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi: Any, record: Any, _proxy: object) -> None:
        if time.monotonic() - record.info.get("idle_since", 0.0) <= PING_AFTER_IDLE_S:
            return
        try:
            # In autocommit: one round trip (no BEGIN before it, no ROLLBACK after).
            dbapi.autocommit = True
            try:
                dbapi.execute("SELECT 1")
            finally:
                dbapi.autocommit = False
        except Exception as exc:  # noqa: BLE001 - any failure: the pool connects afresh
            raise DisconnectionError(str(exc)) from exc

    return engine


def with_password(url: str, password: str) -> str:
    """Return the URL with this password (replacing one in the URL or its query)."""
    parsed = make_url(url).difference_update_query(["password"]).set(password=password)
    return parsed.render_as_string(hide_password=False)


def url_user(url: str) -> str:
    """Return the login name in a server URL ('' when the URL names none)."""
    try:
        return make_url(url).username or ""
    except Exception:  # noqa: BLE001 - a malformed URL: the driver's message says why
        return ""


class ServerError(StorageError):
    """The server could not be used; `kind` says why, `retryable` whether waiting can help.

    kind: 'password' (wrong or missing password: ask for one), 'unreachable', 'timeout',
    'rights' (the login lacks a right), 'no_database'.
    """

    def __init__(self, message: str, kind: str, retryable: bool):
        super().__init__(message)
        self.kind = kind
        self.retryable = retryable


_UNREACHABLE = (
    "connection refused",
    "could not translate host name",
    "name or service not known",
    "no route to host",
    "network is unreachable",
    "server closed the connection unexpectedly",
    "connection timed out",
    "timeout expired",
    "connection reset",
    "broken pipe",
    "ssl syscall error",
    "consuming input failed",
    "the connection is closed",
    "connection is lost",
    "terminating connection",
    "could not receive data",
    "could not send data",
    "the database system is shutting down",
    "the database system is starting up",
)


def _driver_error(exc: BaseException) -> BaseException:
    return getattr(exc, "orig", None) or exc


def explain_server_error(where: object, exc: BaseException) -> ServerError | None:
    """Return a ServerError with one clear sentence for a driver error, or None if unknown."""
    orig = _driver_error(exc)
    sqlstate = getattr(orig, "sqlstate", None) or ""
    detail = " ".join(str(orig).split())
    low = detail.lower()
    place = redact_url(str(where))
    if sqlstate == "28P01" or "password authentication failed" in low:
        return ServerError(
            f"{place}: the server refused the password; enter the right password "
            "(or correct it in your .pgpass file) and try again.",
            "password",
            False,
        )
    if "no password supplied" in low or "password is required" in low:
        return ServerError(
            f"{place}: the server asks for a password and none was given; enter it when "
            "asked, or put it in your .pgpass file.",
            "password",
            False,
        )
    if sqlstate == "28000" or ("role" in low and "does not exist" in low):
        return ServerError(
            f"{place}: the server does not accept this login ({_tail(detail)}); "
            "ask the database administrator for an account.",
            "password",
            False,
        )
    if sqlstate == "3D000" or ("database" in low and "does not exist" in low):
        return ServerError(
            f"{place}: the server has no such database; check the name in the URL or ask "
            "the database administrator to create it.",
            "no_database",
            False,
        )
    if sqlstate == "42501" or "permission denied" in low or "must be owner" in low:
        return ServerError(
            f"{place}: your database login lacks the rights this needs ({_tail(detail)}); "
            "ask the database administrator to give it a role "
            "(`matrix-desktop server grant LOGIN ROLE`).",
            "rights",
            False,
        )
    if sqlstate == "57014" or "statement timeout" in low:
        return ServerError(
            f"{place}: the server did not answer within the statement timeout; "
            "try again, or ask the database administrator whether the server is overloaded.",
            "timeout",
            True,
        )
    if sqlstate.startswith("08") or any(n in low for n in _UNREACHABLE):
        return ServerError(
            f"{place}: cannot reach the database server ({_tail(detail)}); check the network "
            "and that the server is running, then try again.",
            "unreachable",
            True,
        )
    return None


def _tail(detail: str) -> str:
    """The driver's own words, without its 'connection to server at ... failed:' preamble."""
    text = re.sub(r"^connection failed:\s*", "", detail)
    text = re.sub(r'connection to server at "[^"]*"(?: \([^)]*\))?, port \d+ failed:\s*', "", text)
    text = text.replace("FATAL:", "").strip()
    for cut in (" Is the server running", " LINE "):
        text = text.split(cut)[0]
    return redact_url(text.strip().rstrip("."))


def probe(engine: Engine, where: object) -> None:
    """Connect once; raise ServerError (one sentence) when the server cannot be used."""
    from sqlalchemy.exc import DBAPIError

    try:
        with engine.connect():
            pass
    except DBAPIError as exc:
        explained = explain_server_error(where, exc)
        if explained is None:
            raise StorageError(f"{where}: {redact_url(str(_driver_error(exc)))}") from None
        raise explained from None
