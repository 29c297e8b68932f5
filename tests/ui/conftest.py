"""Qt test setup (offscreen before Qt loads) and a fresh copy of the example database per test."""

# ruff: noqa: E402
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

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


@pytest.fixture
def ctx(tmp_path, qapp):
    from PySide6.QtCore import QSettings

    from matrix_desktop.ui.context import AppContext

    context = AppContext(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    yield context
    if context.services is not None:
        context.services.close()


@pytest.fixture
def answers(monkeypatch):
    """Record prompts instead of showing them; tests set return values."""
    from matrix_desktop.ui.interaction import interaction

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(interaction, "error", lambda parent, title, msg: shown.append((title, msg)))
    monkeypatch.setattr(interaction, "info", lambda parent, title, msg: shown.append((title, msg)))
    return shown
