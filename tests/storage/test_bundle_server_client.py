"""The frozen bundle as a client of a PostgreSQL server (issue 13).

Runs build/dist/matrix-desktop/matrix-desktop (made by `make dist`) against a throwaway
PostgreSQL on 127.0.0.1: the administrator's `server init`, then the ordinary commands a
region's users run, all through the bundle's own psycopg and libpq. It tests the built
bundle, so it runs where the bundle is built and checked: `make dist-check` (and so
`.ci/run`) sets MATRIX_DESKTOP_REQUIRE_BUNDLE=1 and runs it; `make test`, which builds no
bundle, does not collect it (tests/storage/conftest.py), rather than skipping it.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = Path(
    os.environ.get(
        "MATRIX_DESKTOP_BUNDLE", ROOT / "build" / "dist" / "matrix-desktop" / "matrix-desktop"
    )
)

if not BUNDLE.is_file():
    raise RuntimeError(f"no bundle at {BUNDLE}: run `make dist` first")

pytestmark = pytest.mark.slow


def _run(home: Path, *args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    """Run the frozen app with a fresh home and nothing of this Python in its environment."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MATRIX_DESKTOP_", "PYTHON", "PG"))
        # No session bus (jeepney also looks in $XDG_RUNTIME_DIR/bus): no keychain is found.
        and k not in ("DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR")
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        QT_QPA_PLATFORM="offscreen",
    )
    return subprocess.run(
        [str(BUNDLE), *args],
        env=env,
        cwd=home,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_bundle_self_check_proves_the_server_client(tmp_path):
    done = _run(tmp_path, "--self-check", timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    line = next(s for s in done.stdout.splitlines() if s.startswith("ok      server client"))
    assert "(binary)" in line and "pipeline mode" in line and "postgresql+psycopg" in line
    # No session bus here: keyring loads, finds no keychain, and says so without failing.
    assert "keyring" in line and "no keychain on this system" in line


def test_bundle_initialises_and_uses_a_postgresql_server(tmp_path, empty_pg_url):
    init = _run(tmp_path, "server", "init", empty_pg_url)
    assert init.returncode == 0, init.stdout + init.stderr

    files = sorted((ROOT / "assessments").glob("*.json"))
    assert files, "no example files in assessments/"
    imported = _run(tmp_path, "--database", empty_pg_url, "import", str(files[0]))
    assert imported.returncode == 0, imported.stdout + imported.stderr

    entities = _run(tmp_path, "--database", empty_pg_url, "entities")
    assert entities.returncode == 0, entities.stdout + entities.stderr
    assert entities.stdout.strip(), "the entity list is empty after the import"

    check = _run(tmp_path, "--database", empty_pg_url, "check")
    assert check.returncode == 0, check.stdout + check.stderr


def test_bundle_names_an_unreachable_server_in_one_sentence(tmp_path, pg_server):
    # A port nothing listens on: the bundle's libpq is refused, the app says so and exits 1.
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/nowhere"
    done = _run(tmp_path, "--database", url, "entities")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "cannot reach the database server" in done.stderr


def test_bundle_libpq_starts_tls_with_the_shared_openssl(tmp_path, pg_url):
    """sslmode=require makes libpq start TLS through the OpenSSL Python's ssl also loaded.

    The throwaway server has no certificate, so the server refuses TLS: the bundle must say
    so and exit 1 (a clash of two OpenSSL copies would crash it instead), and the same URL
    with sslmode=disable must work.
    """
    refused = _run(tmp_path, "--database", pg_url + "?sslmode=require", "entities")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "Traceback" not in refused.stderr and refused.stderr.strip()
    plain = _run(tmp_path, "--database", pg_url + "?sslmode=disable", "entities")
    assert plain.returncode == 0, plain.stdout + plain.stderr
