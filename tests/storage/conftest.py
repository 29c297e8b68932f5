"""Fixtures for the storage safety tests: a small workshop database on a temporary path."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from storage_helpers import BENCHMARKS, Workshop, make_workshop

from matrix_desktop.services.context import Services, open_services


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
