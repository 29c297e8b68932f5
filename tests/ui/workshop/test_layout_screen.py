"""The scoring screen's message line: coming or going it moves nothing, an error goes when a
later save succeeds, and what is still true (a final assessment, a due date not saved) stays."""

from __future__ import annotations

import pytest
from layout_checks import SIZES, clipped
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from matrix_desktop.core.errors import MatrixError
from matrix_desktop.ui.interaction import interaction
from matrix_desktop.ui.workshop.details import DUE
from matrix_desktop.ui.workshop.screen import AssessmentScreen

pytestmark = pytest.mark.gui


@pytest.fixture
def make_screen(qtbot, ctx, services, place, syb, answers):
    ctx.set_services(services)

    def make(size: tuple[int, int]) -> AssessmentScreen:
        aid = services.assessments.create(place.id, syb, "2021/22 Q2").id
        s = AssessmentScreen(ctx, aid, undo_keys=True)
        qtbot.addWidget(s)
        s.resize(*size)
        s.show()
        qtbot.waitExposed(s)
        s.activateWindow()
        qtbot.waitUntil(s.isActiveWindow)
        s.domains.setFocus()
        s.aid = aid  # type: ignore[attr-defined]
        return s

    return make


def _top_of_stages(screen: AssessmentScreen) -> int:
    QApplication.processEvents()
    return screen.tabs.mapTo(screen, QPoint(0, 0)).y()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_message_coming_or_going_moves_nothing(qtbot, make_screen, size):
    screen = make_screen(size)
    assert screen.message.text() == ""
    before = _top_of_stages(screen)
    assert clipped(screen) == []
    qtbot.keyClick(screen.domains, "9")  # no stage 9: says so
    assert "Use 1-4" in screen.message.text()
    assert _top_of_stages(screen) == before
    assert clipped(screen) == []
    qtbot.keyClick(screen.domains, Qt.Key.Key_PageDown)  # another domain: the message goes
    assert screen.message.text() == ""
    assert _top_of_stages(screen) == before


def test_an_error_goes_when_a_later_save_succeeds(qtbot, make_screen, services, monkeypatch):
    screen = make_screen((1024, 768))
    shown: list[str] = []
    monkeypatch.setattr(interaction, "error", lambda _parent, _title, text: shown.append(text))
    real = services.assessments.execute

    def refuse(_command):  # type: ignore[no-untyped-def]
        raise MatrixError("The database refused the change (test)")

    monkeypatch.setattr(services.assessments, "execute", refuse)
    qtbot.keyClick(screen.domains, "2")
    assert "refused the change" in screen.message.text() and shown
    monkeypatch.setattr(services.assessments, "execute", real)
    with qtbot.waitSignal(screen.ctx.saved):
        qtbot.keyClick(screen.domains, "3")
    assert screen.message.text() == ""  # stale: the next save worked
    assert services.assessments.record(screen.aid).rating(screen.current_domain.key).stage


def test_a_due_date_not_saved_is_still_said_after_another_field_saves(qtbot, make_screen):
    screen = make_screen((1024, 768))
    details = screen.details
    qtbot.mouseClick(details.add_action, Qt.MouseButton.LeftButton)
    editor = QApplication.focusWidget()
    qtbot.keyClicks(editor, "Agree terms of reference")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: details.actions.item(0, 0) is not None)
    details.actions.item(0, DUE).setText("31/02/2025")  # as the table's editor commits it
    assert "February 2025 has 28 days" in screen.message.text()
    details.confidence.setFocus()
    with qtbot.waitSignal(screen.ctx.saved):
        qtbot.keyClick(details.confidence, Qt.Key.Key_Down)
    assert "February 2025 has 28 days" in screen.message.text()  # still true: still said


def test_the_final_notice_stays_while_it_is_true(qtbot, make_screen, monkeypatch):
    screen = make_screen((1024, 768))
    monkeypatch.setattr(interaction, "confirm", lambda *a, **k: True)
    qtbot.keyClick(screen.domains, "2")
    screen.finalise()
    assert screen.message.text().startswith("This assessment is final")
    qtbot.keyClick(screen.domains, "9")  # a refusal says why ...
    assert "Use 1-4" in screen.message.text()
    qtbot.keyClick(screen.domains, Qt.Key.Key_PageDown)  # ... and moving on says it is final
    assert screen.message.text().startswith("This assessment is final")
    monkeypatch.setattr(interaction, "ask_text", lambda *a, **k: "Peer review challenged it")
    screen.reopen()
    assert screen.message.text() == ""
