"""The main window's keys on task pages: File ▸ Export (Ctrl+E) exports what is on show, the
review or assessment open, instead of asking for an entity."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from matrix_desktop.core.model import AssessmentKind
from matrix_desktop.ui.interaction import interaction
from matrix_desktop.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, ctx, services):
    path = services.db.path
    services.close()
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.open_database(str(path))
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    return win


def _exported_ids(path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    doc = json.loads(text)
    found: set[str] = set()

    def walk(node) -> None:  # type: ignore[no-untyped-def]
        if isinstance(node, dict):
            if "kind" in node and isinstance(node.get("id"), str):
                found.add(node["id"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc)
    return found


@pytest.mark.parametrize("page", ["peer review", "workshop"])
def test_ctrl_e_exports_what_the_screen_shows(qtbot, window, tmp_path, monkeypatch, answers, page):
    svc = window.services
    final = next(
        a
        for a in svc.assessments.assessments()
        if a.kind is AssessmentKind.SELF_ASSESSMENT and a.is_final
    )
    if page == "peer review":
        shown = svc.peer_review.start_review(final.id, "Pat Reviewer", "Doncaster").review.id
    else:
        shown = final.id
    window.open_assessment(shown)
    target = tmp_path / "shown.mdx.json"
    asked = []
    monkeypatch.setattr(interaction, "save_file", lambda *a: asked.append(a[1]) or str(target))
    focus = window.focusWidget() or window
    qtbot.keyClick(focus, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert answers == []  # not "Choose an entity with assessments to export"
    assert asked == ["Export assessments"]
    ids = _exported_ids(target)
    assert shown in ids
    if page == "peer review":
        assert final.id in ids  # the self-assessment it reviews goes with it
    assert "Exported" in window.status_label.text()
