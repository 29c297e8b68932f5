"""A throwaway PostgreSQL server on 127.0.0.1 for tests and benchmarks: start, databases, stop.

    with pg_server() as server:          # initdb + pg_ctl start on a free port
        url = server.create_database("bench")   # postgresql+psycopg://postgres@127.0.0.1:PORT/bench
    # stopped and its folder removed, also on error

Runs the server as the user postgres when started as root (PostgreSQL refuses root). The
tests load this file by path (tests/storage/conftest.py); benchmarks import it directly.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class PostgresMissing(RuntimeError):
    """PostgreSQL's server programs (initdb, pg_ctl) are not installed."""


def pg_bin() -> Path:
    """Return the folder holding initdb and pg_ctl (the newest installed version)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parents[1].name) if Path(p).parents[1].name.isdigit() else 0,
    )
    if found:
        return Path(found[-1]).parent
    which = shutil.which("initdb")
    if which:
        return Path(which).parent
    raise PostgresMissing(
        "PostgreSQL is not installed (make test installs it on Debian: postgresql)"
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class PgServer:
    """A running throwaway server; stop() shuts it down and removes its files."""

    def __init__(self, root: Path, bin_dir: Path, port: int):
        self.root = root
        self.data = root / "data"
        self.bin_dir = bin_dir
        self.port = port
        self.running = False

    @property
    def version(self) -> str:
        return (self.data / "PG_VERSION").read_text(encoding="ascii").strip()

    def url(self, dbname: str) -> str:
        """Return the SQLAlchemy URL of a database on this server."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, name: str) -> str:
        """(Re)create an empty database; returns its SQLAlchemy URL."""
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}"')
            con.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def start(self) -> PgServer:
        self.data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres")
        subprocess.run(
            _as_postgres(
                [
                    str(self.bin_dir / "initdb"),
                    "-D",
                    str(self.data),
                    "-A",
                    "trust",
                    "-U",
                    "postgres",
                ]
            ),
            check=True,
            capture_output=True,
        )
        self.running = True  # from here on, stop() tries pg_ctl stop (a half start too)
        subprocess.run(
            _as_postgres(
                [
                    str(self.bin_dir / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-w",
                    "-l",
                    str(self.data / "log"),
                    "-o",
                    f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )
        return self

    def stop(self) -> None:
        """Stop the server and remove its folder; safe to call twice.

        An immediate shutdown: its files are deleted next, so the shutdown checkpoint a
        fast one writes (seconds on a slow disk) would be wasted.
        """
        if self.running:
            subprocess.run(
                _as_postgres(
                    [str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]
                ),
                capture_output=True,
            )
            self.running = False
        shutil.rmtree(self.root, ignore_errors=True)


def start_server() -> PgServer:
    """Start a throwaway server on a free port of 127.0.0.1; the caller must stop() it."""
    bin_dir = pg_bin()
    # Not under a private (0700) temp root such as pytest's: the postgres user must reach it.
    root = Path(tempfile.mkdtemp(prefix="matrix-pg-"))
    root.chmod(0o755)
    server = PgServer(root, bin_dir, free_port())
    try:
        return server.start()
    except BaseException:
        server.stop()
        raise


@contextmanager
def pg_server() -> Iterator[PgServer]:
    """Run a throwaway server for the block; it is stopped at the end, also on error."""
    server = start_server()
    try:
        yield server
    finally:
        server.stop()
