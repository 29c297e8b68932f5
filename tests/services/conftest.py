"""Fixtures for service tests: a fresh copy of a database holding the example assessments."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from matrix_desktop.paths import examples_dir
from matrix_desktop.services.context import Services, open_services


@pytest.fixture(scope="session")
def examples_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the example database once per run; tests get copies of it."""
    path = tmp_path_factory.mktemp("template") / "examples.sqlite3"
    services = open_services(path, user="tester")
    result = services.exchange.import_paths([examples_dir()])
    assert result.changed, "the example exchange files did not import"
    services.close()
    return path


@pytest.fixture
def services(examples_template: Path, tmp_path: Path) -> Iterator[Services]:
    """Return services over a fresh temporary copy of the example database."""
    target = tmp_path / "test.sqlite3"
    for suffix in ("", "-wal"):
        source = Path(f"{examples_template}{suffix}")
        if source.exists():
            shutil.copyfile(source, f"{target}{suffix}")
    opened = open_services(target, user="tester")
    yield opened
    opened.close()
