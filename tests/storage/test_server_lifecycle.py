"""A server's lifecycle from the command line: init, upgrade (owner, pg_dump first), grant,
revoke, roles; the app and ordinary commands never migrate a server and say what to run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine

from matrix_desktop.core.errors import StorageError
from matrix_desktop.services.context import open_services
from matrix_desktop.storage.schema import HEAD_REVISION

SRC = Path(__file__).resolve().parents[2] / "src"


def cli(*args: str, path: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    if path is not None:
        env["PATH"] = path
    return subprocess.run(
        [sys.executable, "-m", "matrix_desktop", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def raw(url: str) -> psycopg.Connection:
    return psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), autocommit=True)


def table_count(url: str) -> int:
    with raw(url) as con:
        return int(
            con.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]
        )


def one_clear_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def at_revision(url: str, revision: str) -> None:
    """Build the schema of an older release, as that release's own migrations did."""
    from alembic import command
    from alembic.config import Config

    from matrix_desktop.paths import migrations_dir

    engine = create_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    engine.dispose()


def test_an_empty_server_database_is_never_set_up_by_opening_it(empty_pg_url):
    line = one_clear_line(cli("--database", empty_pg_url, "entities"))
    assert "no matrix-desktop schema yet" in line
    assert "matrix-desktop server init URL" in line
    with pytest.raises(StorageError, match="server init"):
        open_services(empty_pg_url)
    assert table_count(empty_pg_url) == 0


def test_server_init_sets_up_the_database_and_the_app_then_opens_it(empty_pg_url):
    done = cli("server", "init", empty_pg_url)
    assert done.returncode == 0, done.stderr
    assert f"created the matrix-desktop schema {HEAD_REVISION}" in done.stdout
    assert "row-level security" in done.stdout
    assert "bundled frameworks" in done.stdout
    again = cli("server", "init", empty_pg_url)
    assert again.returncode == 0 and "already at" in again.stdout
    listed = cli("--database", empty_pg_url, "frameworks", "list")
    assert listed.returncode == 0, listed.stderr
    assert "syb-place-development-matrix" in listed.stdout


def test_an_older_schema_names_server_upgrade_which_backs_up_with_pg_dump(
    empty_pg_url, pg_server, tmp_path
):
    at_revision(empty_pg_url, "0003")
    with raw(empty_pg_url) as con:
        con.execute(
            "INSERT INTO system (id, name, short_name, modified_at) VALUES ('s', 'Kept', '', '')"
        )
    line = one_clear_line(cli("--database", empty_pg_url, "entities"))
    assert "older schema (0003" in line and "matrix-desktop server upgrade URL" in line
    refused = cli("server", "init", empty_pg_url)
    assert "server upgrade URL" in one_clear_line(refused)

    path = f"{pg_server.bin_dir}{os.pathsep}{os.environ['PATH']}"
    done = cli("server", "upgrade", empty_pg_url, "--backup-folder", str(tmp_path), path=path)
    assert done.returncode == 0, done.stderr
    dumps = list(tmp_path.glob("*.dump"))
    assert len(dumps) == 1 and dumps[0].read_bytes()[:5] == b"PGDMP"
    assert f"backed up to {dumps[0]}" in done.stdout
    assert f"upgraded the schema from 0003 to {HEAD_REVISION}" in done.stdout
    listed = cli("--database", empty_pg_url, "entities")
    assert listed.returncode == 0, listed.stderr
    assert "Kept" in listed.stdout


def test_upgrade_without_pg_dump_says_no_backup_was_made(empty_pg_url, tmp_path):
    at_revision(empty_pg_url, "0003")
    done = cli("server", "upgrade", empty_pg_url, "--backup-folder", str(tmp_path), path="/nowhere")
    assert done.returncode == 0, done.stderr
    assert "no backup was made first: pg_dump is not installed" in done.stdout
    assert list(tmp_path.iterdir()) == []


def test_only_the_owner_may_upgrade(empty_pg_url, tmp_path):
    at_revision(empty_pg_url, "0003")
    with raw(empty_pg_url) as con:
        con.execute("DROP ROLE IF EXISTS carol")
        con.execute("CREATE ROLE carol LOGIN")
    carol = empty_pg_url.replace("//postgres@", "//carol@")
    line = one_clear_line(cli("server", "upgrade", carol, "--backup-folder", str(tmp_path)))
    assert "only the schema's owner (postgres) can upgrade it" in line
    with raw(empty_pg_url) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0003",)


def test_a_newer_schema_says_to_install_the_newer_version(pg_url):
    with raw(pg_url) as con:
        con.execute("UPDATE alembic_version SET version_num = '9999'")
    line = one_clear_line(cli("--database", pg_url, "entities"))
    assert "set up by a newer version of matrix-desktop (schema 9999)" in line
    assert "install that version" in line


def test_grant_revoke_and_roles_from_the_command_line(pg_url):
    svc = open_services(pg_url)
    try:
        from matrix_desktop.core.framework import EntityKind

        system = svc.catalog.create_system("CLI ICS")
        svc.catalog.create_entity(system.id, "Gamma Place", EntityKind.PLACE_PARTNERSHIP)
    finally:
        svc.close()
    with raw(pg_url) as con:
        con.execute("DROP ROLE IF EXISTS dora")
    done = cli("server", "grant", "dora", "facilitator", "--entity", "gamma place", "--url", pg_url)
    assert done.returncode == 0, done.stderr
    assert "created the login dora" in done.stdout
    assert "dora is now facilitator of Gamma Place" in done.stdout
    assert cli("--database", pg_url, "server", "grant", "dora", "viewer").returncode == 0
    roles = cli("server", "who", pg_url)
    assert "dora: facilitator, viewer (facilitator of Gamma Place)" in roles.stdout

    assert "is not a role" in one_clear_line(
        cli("server", "grant", "dora", "boss", "--url", pg_url)
    )
    assert "needs at least one --entity" in one_clear_line(
        cli("server", "grant", "dora", "facilitator", "--url", pg_url)
    )
    assert "no entity named 'Nowhere'" in one_clear_line(
        cli("server", "grant", "dora", "facilitator", "--entity", "Nowhere", "--url", pg_url)
    )
    assert cli("server", "revoke", "dora", "viewer", "--url", pg_url).returncode == 0
    assert "dora: facilitator (" in cli("server", "roles", pg_url).stdout
    assert cli("server", "revoke", "dora", "--url", pg_url).returncode == 0
    assert "dora" not in cli("server", "roles", pg_url).stdout
    # Without a role the app opens nothing and says whom to ask.
    line = one_clear_line(cli("--database", pg_url.replace("//postgres@", "//dora@"), "entities"))
    assert "your login has no role on this database" in line


def test_server_commands_refuse_a_sqlite_file(tmp_path):
    line = one_clear_line(cli("server", "init", str(tmp_path / "local.sqlite3")))
    assert "`server` commands are for a PostgreSQL URL" in line


def test_init_by_a_login_without_create_on_the_schema_says_so(empty_pg_url):
    with raw(empty_pg_url) as con:
        con.execute("DROP ROLE IF EXISTS erin")
        con.execute("CREATE ROLE erin LOGIN")
    erin = empty_pg_url.replace("//postgres@", "//erin@")
    line = one_clear_line(cli("server", "init", erin))
    assert "the server refused: permission denied for schema public" in line
    assert "run this as the schema's owner" in line and "Nothing was changed." in line
    assert table_count(empty_pg_url) == 0
