"""Finalising and reopening, as a user does it: the question names what is unscored, a final
review is read-only, the screen stays where it is, and the app reopens on the open assessment."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from matrix_desktop.core.model import AssessmentKind, Status
from matrix_desktop.ui.context import AppContext
from matrix_desktop.ui.interaction import interaction
from matrix_desktop.ui.main_window import MainWindow
from matrix_desktop.ui.peer_review import PeerReviewWidget
from matrix_desktop.ui.workshop.screen import AssessmentScreen

pytestmark = pytest.mark.gui

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _window(qtbot, tmp_path, db_path, name: str = "settings.ini") -> MainWindow:
    ctx = AppContext(QSettings(str(tmp_path / name), QSettings.Format.IniFormat))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    assert window.open_database(str(db_path))
    return window


def _with_examples(qtbot, tmp_path, db_path) -> MainWindow:
    window = _window(qtbot, tmp_path, db_path)
    window.import_examples()
    return window


def _barnsley(svc):
    entity = svc.catalog.find_entity("Barnsley")
    rnd = svc.catalog.find_round("2021/22 Q2")
    own = next(
        a
        for a in svc.assessments.assessments(entity.id, rnd.id)
        if a.kind is AssessmentKind.SELF_ASSESSMENT
    )
    return entity, own


class Asked(list):
    """Every confirmation asked: (title, message, button text); `ok` is the answer given."""

    ok = True


@pytest.fixture
def asked(monkeypatch):
    questions = Asked()

    def confirm(parent, title, message, ok_text="OK"):
        questions.append((title, message, ok_text))
        return questions.ok

    monkeypatch.setattr(interaction, "confirm", confirm)
    monkeypatch.setattr(interaction, "error", lambda p, t, m: questions.append((t, m, "error")))
    return questions


def _settle(qtbot) -> None:
    """Let queued refreshes (QTimer.singleShot(0, ...)) run, as the event loop would."""
    qtbot.wait(50)


def test_reviewer_finalises_by_keyboard_then_reopens_with_a_reason(
    qtbot, tmp_path, db_path, asked, monkeypatch
):
    window = _with_examples(qtbot, tmp_path, db_path)
    svc = window.ctx.services
    _entity, own = _barnsley(svc)
    review = svc.peer_review.start_review(own.id, "Ann Reviewer", "Doncaster").review
    window.open_assessment(review.id)
    page = window.stack.currentWidget()
    assert isinstance(page, PeerReviewWidget)
    # Finalise is a button in the tab order, and Ctrl+Shift+F from the domain list
    chain, widget = [], page.domains.nextInFocusChain()
    while widget is not page.domains and len(chain) < 1000:
        chain.append(widget)
        widget = widget.nextInFocusChain()
    assert page.finalise_button in chain and page.finalise_button.isVisible()
    assert page.finalise_button.focusPolicy() & Qt.FocusPolicy.TabFocus
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page.domains.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.domains)
    qtbot.keyClick(page.domains, Qt.Key.Key_2)  # the reviewer scores one domain only
    domains = page.view.domains
    assert domains[0].peer_stage is not None

    # cancelled: nothing changes; the question said how many and which were not scored
    asked.ok = False
    qtbot.keyClick(page.domains, Qt.Key.Key_F, CTRL_SHIFT)
    title, message, ok_text = asked[-1]
    n = len(domains) - 1
    assert title == "Finalise peer review"
    assert message.startswith(f"Finalise with {n} domains not scored?")
    assert all(f"{d.number}. {d.title}" in message for d in domains[1:])
    assert f"{domains[0].number}. {domains[0].title}" not in message
    assert ok_text == f"Finalise with {n} not scored"
    assert svc.assessments.get(review.id).status is Status.DRAFT

    asked.ok = True
    qtbot.keyClick(page.domains, Qt.Key.Key_F, CTRL_SHIFT)
    _settle(qtbot)
    assert svc.assessments.get(review.id).status is Status.FINAL
    assert window.stack.currentWidget() is page  # still on the review, not the place's page
    assert "(final)" in page.heading.text() and "read-only" in page.message.text()
    assert not page.comment.isEnabled() and not page.agree.isEnabled()
    assert not any(b.isEnabled() for b in page.stage_group.buttons())
    assert not page.finalise_button.isVisible() and page.reopen_button.isVisible()
    qtbot.keyClick(page.domains, Qt.Key.Key_3)  # a stage key on a final review: nothing
    assert svc.assessments.record(review.id).rating(domains[1].domain_key).stage is None

    # Reopen from the keyboard: focus the button, Space; the reason is asked and audited
    reasons = ["", "Reviewer to score the remaining domains"]
    monkeypatch.setattr(interaction, "ask_text", lambda *a, **k: reasons.pop(0))
    page.reopen_button.setFocus()
    qtbot.keyClick(page.reopen_button, Qt.Key.Key_Space)
    assert "say why" in page.message.text()
    assert svc.assessments.get(review.id).status is Status.FINAL
    qtbot.keyClick(page.reopen_button, Qt.Key.Key_Space)
    _settle(qtbot)
    assert svc.assessments.get(review.id).status is Status.DRAFT
    assert window.stack.currentWidget() is page
    assert page.comment.isEnabled() and page.finalise_button.isVisible()
    assert not page.message.text().startswith("This review is final")
    reopened = [e for e in svc.assessments.audit(review.id) if e.action == "reopen"]
    assert reopened and "Reviewer to score the remaining domains" in reopened[0].detail
    # both went through the window's undo stack (the same SetStatus commands)
    assert [window.ctx.undo_stack.text(i) for i in range(window.ctx.undo_stack.count())][-2:] == [
        "Finalise assessment",
        "Reopen assessment",
    ]


def test_finalise_names_every_unscored_domain_and_stays_on_the_scoring_screen(
    qtbot, tmp_path, db_path, asked, monkeypatch
):
    window = _with_examples(qtbot, tmp_path, db_path)
    svc = window.ctx.services
    entity, own = _barnsley(svc)
    fw = svc.assessments.framework_of(own)
    fresh = svc.assessments.create(entity.id, fw, "2022/23 Q1")
    window.show_entity(entity.id)
    window.open_assessment(fresh.id)
    screen = window.stack.currentWidget()
    assert isinstance(screen, AssessmentScreen)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    screen.domains.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen.domains)
    qtbot.keyClick(screen.domains, Qt.Key.Key_2)  # 1 of 13 domains scored
    applicable = fw.domains_for(entity.kind)
    assert len(applicable) == 13

    asked.ok = False
    qtbot.mouseClick(screen.finalise_button, Qt.MouseButton.LeftButton)
    title, message, ok_text = asked[-1]
    assert message.startswith("Finalise with 12 domains not scored?")
    assert "12 of the 13 domains that apply have no stage" in message
    for d in applicable[1:]:
        assert f"{d.number}. {d.title}" in message
    assert f"{applicable[0].number}. {applicable[0].title}" not in message
    assert ok_text == "Finalise with 12 not scored"
    assert svc.assessments.get(fresh.id).status is Status.DRAFT

    asked.ok = True
    qtbot.keyClick(screen.domains, Qt.Key.Key_F, CTRL_SHIFT)  # the Assessment menu's key
    _settle(qtbot)
    assert svc.assessments.get(fresh.id).status is Status.FINAL
    assert window.stack.currentWidget() is screen  # Finalise does not jump to the place's page
    assert screen.status.text().startswith("FINAL")

    monkeypatch.setattr(interaction, "ask_text", lambda *a, **k: "Score the rest next week")
    qtbot.mouseClick(screen.reopen_button, Qt.MouseButton.LeftButton)
    _settle(qtbot)
    assert svc.assessments.get(fresh.id).status is Status.DRAFT
    assert window.stack.currentWidget() is screen  # nor does Reopen
    assert screen.status.text() == "Draft"
    # the navigator followed without taking the page away
    assert window.current_entity_id == entity.id


def test_a_fully_scored_assessment_is_finalised_with_the_plain_question(
    qtbot, tmp_path, db_path, asked
):
    window = _with_examples(qtbot, tmp_path, db_path)
    svc = window.ctx.services
    _entity, own = _barnsley(svc)  # final, every domain scored
    svc.assessments.execute(svc.assessments.reopen(own.id, "add evidence"))
    window.open_assessment(own.id)
    screen = window.stack.currentWidget()
    screen.finalise()
    _title, message, ok_text = asked[-1]
    assert "not scored" not in message and "All 13 domains are scored" in message
    assert ok_text == "Finalise"


def test_the_app_reopens_on_the_assessment_that_was_open(qtbot, tmp_path, db_path):
    window = _with_examples(qtbot, tmp_path, db_path)
    svc = window.ctx.services
    entity, own = _barnsley(svc)
    window.show_entity(entity.id)
    window.open_assessment(own.id)
    window.close()

    again = _window(qtbot, tmp_path, db_path)
    screen = again.stack.currentWidget()
    assert isinstance(screen, AssessmentScreen)
    assert screen.state.assessment_id == own.id
    assert again.current_entity_id == entity.id
    # back on the place's page before closing: the next start opens the place's page
    again.show_entity(entity.id)
    again.close()
    third = _window(qtbot, tmp_path, db_path)
    assert third.stack.currentWidget() is third.entity_page
    assert third.current_entity_id == entity.id
    third.close()


def test_the_app_reopens_on_a_peer_review_that_was_open(qtbot, tmp_path, db_path):
    window = _with_examples(qtbot, tmp_path, db_path)
    svc = window.ctx.services
    _entity, own = _barnsley(svc)
    review = svc.peer_review.start_review(own.id, "Ann Reviewer").review
    window.open_assessment(review.id)
    window.close()
    again = _window(qtbot, tmp_path, db_path)
    page = again.stack.currentWidget()
    assert isinstance(page, PeerReviewWidget) and page.review_id == review.id
    again.close()
