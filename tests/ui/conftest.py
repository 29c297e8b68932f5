"""Qt test setup (offscreen before Qt loads) and a fresh copy of the example database per test."""

# ruff: noqa: E402
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest


@pytest.fixture
def services(examples_copy):  # type: ignore[no-untyped-def]
    """A fresh copy of the example database."""
    return examples_copy


@pytest.fixture
def ctx(tmp_path, qapp):
    from PySide6.QtCore import QSettings

    from matrix_desktop.ui.context import AppContext

    context = AppContext(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    yield context
    # As the window does: stop following the database (its change-feed timer), then close.
    context.close_database()


@pytest.fixture
def answers(monkeypatch):
    """Record prompts instead of showing them; tests set return values."""
    from matrix_desktop.ui.interaction import interaction

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(interaction, "error", lambda parent, title, msg: shown.append((title, msg)))
    monkeypatch.setattr(interaction, "info", lambda parent, title, msg: shown.append((title, msg)))
    return shown
