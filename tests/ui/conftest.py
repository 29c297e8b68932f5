"""GUI test fixtures: an AppContext with private settings and a fresh database."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


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
