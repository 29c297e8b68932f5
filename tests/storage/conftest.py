"""Fixtures for the storage tests: a small workshop database, a throwaway PostgreSQL server."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from storage_helpers import BENCHMARKS, Workshop, make_workshop

from matrix_desktop.services.context import Services, open_services


def pytest_ignore_collect(collection_path: Path) -> bool | None:
    """Leave the bundle's own test to `make dist-check`, which builds the bundle first."""
    if collection_path.name == "test_bundle_server_client.py":
        return os.environ.get("MATRIX_DESKTOP_REQUIRE_BUNDLE") != "1"
    return None


@pytest.fixture
def workshop(tmp_path: Path) -> Workshop:
    return make_workshop(tmp_path / "workshop.sqlite3")


@pytest.fixture
def services(workshop: Workshop):  # type: ignore[no-untyped-def]
    svc: Services = open_services(workshop.path, user="tester")
    yield svc
    svc.close()


@pytest.fixture
def crash_harness():  # type: ignore[no-untyped-def]
    """Import benchmarks/crash.py (the crash-injection harness)."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import crash

        yield crash
    finally:
        sys.path.remove(str(BENCHMARKS))


@pytest.fixture
def empty_pg_url(pg_server, request):  # type: ignore[no-untyped-def]
    """The URL of a fresh, empty database on the server, named after the test."""
    name = "t_" + request.node.name.lower().replace("[", "_").replace("]", "")[:40]
    return pg_server.create_database(name)


@pytest.fixture
def pg_url(empty_pg_url):  # type: ignore[no-untyped-def]
    """A fresh database set up as an administrator would (`server init`), as its owner."""
    from matrix_desktop.services import server_admin

    server_admin.init(empty_pg_url)
    return empty_pg_url
