"""A shared PostgreSQL server instead of SQLite: migrations, import, edits, undo, views."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from matrix_desktop.paths import examples_dir
from matrix_desktop.services.context import open_services


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found and shutil.which("initdb"):
        return Path(shutil.which("initdb")).parent  # type: ignore[arg-type]
    if not found:
        pytest.fail("PostgreSQL is not installed (make test installs it on Debian: postgresql)")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@pytest.fixture(scope="module")
def server():  # type: ignore[no-untyped-def]
    """A throwaway PostgreSQL server on 127.0.0.1, stopped at the end."""
    import tempfile

    bin_dir = _pg_bin()
    # Not under pytest's private (0700) temp root: the postgres user must reach it.
    root = Path(tempfile.mkdtemp(prefix="matrix-pg-"))
    root.chmod(0o755)
    data = root / "data"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(data, "postgres")
    port = _free_port()
    subprocess.run(
        _as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"]),
        check=True,
        capture_output=True,
    )
    subprocess.run(
        _as_postgres(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-w",
                "-l",
                str(data / "log"),
                "-o",
                f"-p {port} -k {data} -c listen_addresses=127.0.0.1",
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    try:
        yield port
    finally:
        subprocess.run(
            _as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_url(server, request):  # type: ignore[no-untyped-def]
    import psycopg

    name = "t_" + request.node.name.lower().replace("[", "_").replace("]", "")[:40]
    with psycopg.connect(
        f"host=127.0.0.1 port={server} user=postgres dbname=postgres", autocommit=True
    ) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}"')
        con.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://postgres@127.0.0.1:{server}/{name}"


def test_postgres_database_migrates_imports_and_edits_with_undo(pg_url):
    svc = open_services(pg_url, user="regional")
    try:
        assert svc.db.path is None and not svc.db.read_only
        result = svc.exchange.import_paths([examples_dir()])
        assert len(result.changed) == 18
        record = svc.assessments.assessments()[0]
        svc.assessments.execute(svc.assessments.reopen(record.id, "regional review"))
        command = svc.assessments.edit_rating(
            record.id, "leadership", stage="thriving", evidence="日本語 ✓"
        )
        svc.assessments.execute(command)
        assert svc.assessments.record(record.id).rating("leadership").evidence == "日本語 ✓"
        svc.assessments.revert(command)
        assert svc.assessments.record(record.id).rating("leadership").stage != "thriving"
        assert [e.action for e in svc.assessments.audit(record.id)][:2] == ["undo rating", "rating"]
        system = svc.catalog.systems()[0]
        view = svc.single_view.single_view(system.id)
        assert view is not None
    finally:
        svc.close()


def test_postgres_and_sqlite_export_the_same_bytes(pg_url, tmp_path):
    pg = open_services(pg_url)
    lite = open_services(tmp_path / "lite.sqlite3")
    try:
        for svc in (pg, lite):
            svc.exchange.import_paths([examples_dir()])
        ids = sorted(a.id for a in lite.assessments.assessments())
        a = pg.exchange.export(ids, tmp_path / "pg.mdx.json", exported_at="2026-01-01T00:00:00")
        b = lite.exchange.export(ids, tmp_path / "lite.mdx.json", exported_at="2026-01-01T00:00:00")
        assert a.read_bytes() == b.read_bytes()
    finally:
        pg.close()
        lite.close()


def test_second_open_of_a_migrated_server_database_is_fast(pg_url):
    open_services(pg_url).close()
    start = time.monotonic()
    open_services(pg_url).close()
    assert time.monotonic() - start < 5
