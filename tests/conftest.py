"""Shared fixtures: offscreen Qt, a private home and settings, a fresh database per test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory, monkeypatch):
    """Keep every test away from the real user's data folder and database."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("MATRIX_DESKTOP_HOME", str(home))
    monkeypatch.delenv("MATRIX_DESKTOP_DATABASE", raising=False)
    return home


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "matrix.sqlite3"


@pytest.fixture
def services(db_path):
    """Services over a fresh database holding the bundled frameworks."""
    from matrix_desktop.services.context import open_services

    svc = open_services(db_path, user="tester")
    yield svc
    svc.close()


@pytest.fixture
def example_services(services):
    """Services over a fresh database with the example data imported."""
    from matrix_desktop.paths import examples_dir

    services.exchange.import_paths([examples_dir()])
    return services


@pytest.fixture(scope="session")
def examples_template(tmp_path_factory):
    """Build the example database once per run; tests get copies of it."""
    from matrix_desktop.paths import examples_dir
    from matrix_desktop.services.context import open_services

    path = tmp_path_factory.mktemp("template") / "examples.sqlite3"
    services = open_services(path, user="tester")
    result = services.exchange.import_paths([examples_dir()])
    assert result.changed, "the example exchange files did not import"
    services.close()
    return path


@pytest.fixture
def examples_copy(examples_template, tmp_path):
    """Services over a fresh temporary copy of the example database."""
    import shutil

    from matrix_desktop.services.context import open_services

    target = tmp_path / "test.sqlite3"
    for suffix in ("", "-wal"):
        source = Path(f"{examples_template}{suffix}")
        if source.exists():
            shutil.copyfile(source, f"{target}{suffix}")
    opened = open_services(target, user="tester")
    yield opened
    opened.close()


@pytest.fixture
def syb(services):
    return services.catalog.framework("syb-place-development-matrix")


@pytest.fixture
def place(services):
    """A system with one place partnership; returns the entity."""
    from matrix_desktop.core.framework import EntityKind

    system = services.catalog.create_system("Test ICS", "TICS")
    return services.catalog.create_entity(
        system.id, "Testshire Place Partnership", EntityKind.PLACE_PARTNERSHIP, ("Council", "Trust")
    )


@pytest.fixture(scope="session")
def pg_server():  # type: ignore[no-untyped-def]
    """A throwaway PostgreSQL server on 127.0.0.1 for the session, stopped at the end.

    One for every test that needs a server (storage, CLI and window tests alike): each
    test makes its own database on it.
    """
    from bench_modules import load_benchmark

    pgserver = load_benchmark("_pgserver")
    try:
        server = pgserver.start_server()
    except pgserver.PostgresMissing as exc:
        pytest.fail(str(exc))
    try:
        yield server
    finally:
        server.stop()
