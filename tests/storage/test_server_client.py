"""A well-behaved server client: timeouts, keepalives, one-sentence errors, no passwords shown."""

from __future__ import annotations

import logging

import psycopg
import pytest
from sqlalchemy import text

from matrix_desktop.__main__ import _setup_logging, main
from matrix_desktop.core.errors import StorageError
from matrix_desktop.services.context import open_services
from matrix_desktop.storage.database import open_database
from matrix_desktop.storage.server import (
    connect_args,
    explain_server_error,
    redact_url,
    server_engine,
    with_password,
)

SECRET = "s3cr3t-Pw"


@pytest.fixture(scope="module")
def login(pg_server):  # type: ignore[no-untyped-def]
    """A login that must give a password (scram), without CREATE on the schema."""
    hba = pg_server.data / "pg_hba.conf"
    original = hba.read_text()
    hba.write_text("host all clerk 127.0.0.1/32 scram-sha-256\n" + original)
    admin = f"host=127.0.0.1 port={pg_server.port} user=postgres dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute("DROP ROLE IF EXISTS clerk")
        con.execute(f"CREATE ROLE clerk LOGIN PASSWORD '{SECRET}'")
        con.execute("SELECT pg_reload_conf()")
    yield "clerk"
    hba.write_text(original)
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute("SELECT pg_reload_conf()")


def _as(url: str, user: str, password: str | None = None, query: bool = False) -> str:
    rest = url.split("@", 1)[1]
    if password is None:
        return f"postgresql+psycopg://{user}@{rest}"
    if query:
        return f"postgresql+psycopg://{user}@{rest}?password={password}"
    return f"postgresql+psycopg://{user}:{password}@{rest}"


def run(capsys, *args):  # type: ignore[no-untyped-def]
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


# -- redaction ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("postgresql+psycopg://ann:pw@db:5432/x", "postgresql+psycopg://ann:***@db:5432/x"),
        ("postgresql://ann:p%40ss:w@db/x", "postgresql://ann:***@db/x"),
        (
            "postgresql://ann@db/x?password=pw&sslmode=require",
            "postgresql://ann@db/x?password=***&sslmode=require",
        ),
        (
            "postgresql://db/x?sslmode=require&PASSWORD=pw",
            "postgresql://db/x?sslmode=require&PASSWORD=***",
        ),
        ("host=db password='se cret' user=ann", "host=db password=*** user=ann"),
        ("error at postgresql://a:b@h/d: refused", "error at postgresql://a:***@h/d: refused"),
        ("postgresql://ann@db/x", "postgresql://ann@db/x"),
        ("/home/ann/matrix.sqlite3", "/home/ann/matrix.sqlite3"),
    ],
)
def test_redact_url_hides_every_form_of_password(given, shown):
    assert redact_url(given) == shown


def test_log_records_never_carry_a_password(capsys):
    root = logging.getLogger()
    before = list(root.handlers)
    for handler in before:
        root.removeHandler(handler)
    try:
        _setup_logging(verbose=False)
        logging.getLogger("matrix_desktop.test").warning(
            "could not reach %s", f"postgresql://ann:{SECRET}@db/x?password={SECRET}"
        )
        err = capsys.readouterr().err
        assert "could not reach postgresql://ann:***@db/x?password=***" in err
        assert SECRET not in err
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in before:
            root.addHandler(handler)


# -- timeouts and keepalives ----------------------------------------------------------------


def test_connect_args_default_timeouts_and_keepalives(monkeypatch):
    monkeypatch.delenv("MATRIX_DESKTOP_CONNECT_TIMEOUT", raising=False)
    monkeypatch.delenv("MATRIX_DESKTOP_STATEMENT_TIMEOUT", raising=False)
    args = connect_args("postgresql+psycopg://a@h/d")
    assert args["connect_timeout"] == 10
    assert args["options"] == "-c statement_timeout=30000"
    assert args["keepalives"] == 1 and args["keepalives_idle"] == 5
    # What the URL says wins; the environment overrides the defaults.
    monkeypatch.setenv("MATRIX_DESKTOP_STATEMENT_TIMEOUT", "5")
    args = connect_args("postgresql+psycopg://a@h/d?connect_timeout=3&keepalives_idle=60")
    assert "connect_timeout" not in args and "keepalives_idle" not in args
    assert args["options"] == "-c statement_timeout=5000"
    monkeypatch.setenv("MATRIX_DESKTOP_CONNECT_TIMEOUT", "soon")
    with pytest.raises(StorageError, match="MATRIX_DESKTOP_CONNECT_TIMEOUT='soon'"):
        connect_args("postgresql+psycopg://a@h/d")


def test_server_connections_have_statement_timeout_and_keepalives(pg_url, monkeypatch):
    monkeypatch.setenv("MATRIX_DESKTOP_STATEMENT_TIMEOUT", "1")
    engine = server_engine(pg_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SHOW statement_timeout")).scalar() == "1s"
            params = conn.connection.driver_connection.info.get_parameters()
            assert params["keepalives"] == "1" and params["connect_timeout"] == "10"
            with pytest.raises(Exception) as caught:
                conn.execute(text("SELECT pg_sleep(3)"))
        explained = explain_server_error("the server", caught.value)
        assert explained is not None and explained.kind == "timeout" and explained.retryable
    finally:
        engine.dispose()


# -- one clear sentence for each failure, CLI ---------------------------------------------


def _one_clear_line(code: int, out: str, err: str, *needles: str) -> None:
    assert code == 1
    assert "Traceback" not in err and SECRET not in out + err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for needle in needles:
        assert needle in lines[0]


def test_cli_wrong_password_in_url_and_in_query(capsys, pg_url, login):
    for url in (_as(pg_url, login, "wrong-" + SECRET), _as(pg_url, login, "x" + SECRET, True)):
        code, out, err = run(capsys, "check", "--database", url)
        _one_clear_line(code, out, err, "refused the password", "***")


def test_cli_missing_password(capsys, pg_url, login):
    code, out, err = run(capsys, "check", "--database", _as(pg_url, login))
    _one_clear_line(code, out, err, "asks for a password and none was given")


def test_cli_unreachable_server(capsys, pg_server):
    from _pgserver import free_port

    url = f"postgresql+psycopg://ann:{SECRET}@127.0.0.1:{free_port()}/nowhere"
    code, out, err = run(capsys, "entities", "--database", url)
    _one_clear_line(code, out, err, "cannot reach the database server", "Connection refused")


def test_cli_missing_database(capsys, pg_url):
    url = pg_url.rsplit("/", 1)[0] + "/no_such_db"
    code, out, err = run(capsys, "check", "--database", url)
    _one_clear_line(code, out, err, "has no such database")


def test_login_without_a_role_gets_one_sentence(pg_url, login):
    # The schema is in place (pg_url is set up with `server init`); this login has no role.
    url = _as(pg_url, login, SECRET)
    with pytest.raises(StorageError) as caught:
        open_database(url)
    message = str(caught.value)
    assert "server grant" in message, message
    assert SECRET not in message and "\n" not in message and "Traceback" not in message


def test_with_password_replaces_url_and_query_passwords():
    from sqlalchemy.engine import make_url

    given = "postgresql+psycopg://ann@h/d?password=a&sslmode=require"
    url = make_url(with_password(given, "b:@/c"))
    assert url.password == "b:@/c" and dict(url.query) == {"sslmode": "require"}
    assert url.host == "h" and url.database == "d"


def test_check_output_never_shows_the_password(capsys, pg_url):
    open_services(pg_url).close()  # schema in place (trust login: any password is accepted)
    for url in (_as(pg_url, "postgres", SECRET), _as(pg_url, "postgres", SECRET, True)):
        code, out, err = run(capsys, "check", "--database", url)
        assert code == 0, err
        assert SECRET not in out + err and "***" in out


def test_cli_read_refused_by_the_server_mid_command_is_one_sentence(capsys, pg_url, pg_server):
    """A login that may connect and see the schema version but has no role (so may not read
    the data): one sentence saying whom to ask, no traceback."""
    open_services(pg_url).close()
    dbname = pg_url.rsplit("/", 1)[1]
    admin = f"host=127.0.0.1 port={pg_server.port} user=postgres dbname={dbname}"
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute("DROP ROLE IF EXISTS glimpse")
        con.execute("CREATE ROLE glimpse LOGIN")
        con.execute("GRANT SELECT ON alembic_version TO glimpse")
    url = pg_url.replace("postgres@", "glimpse@")
    code, out, err = run(capsys, "entities", "--database", url)
    _one_clear_line(code, out, err, "no role on this database", "server grant")
