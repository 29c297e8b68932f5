"""The Manage and first-run dialogs fit a 1024x768 screen with nothing clipped."""

from __future__ import annotations

import pytest
from layout_checks import clipped, fits_screen, pretend_screen, settle

from matrix_desktop.ui.first_run import FirstRunDialog
from matrix_desktop.ui.manage import ManageDialog

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("tab", [0, 1, 2, 3])
def test_manage_dialog_fits_a_small_screen(qtbot, ctx, services, monkeypatch, tab):
    screen = pretend_screen(monkeypatch, 1024, 768)
    ctx.set_services(services)
    dialog = ManageDialog(ctx, None, tab)
    qtbot.addWidget(dialog)
    dialog.show()
    settle(qtbot, dialog)
    assert fits_screen(dialog, screen) == []
    assert clipped(dialog) == []


def test_first_run_dialog_fits_a_small_screen(qtbot, ctx, services, monkeypatch):
    screen = pretend_screen(monkeypatch, 1024, 768)
    ctx.set_services(services)
    dialog = FirstRunDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    settle(qtbot, dialog)
    assert fits_screen(dialog, screen) == []
    assert clipped(dialog) == []
