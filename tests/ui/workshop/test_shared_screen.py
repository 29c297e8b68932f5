"""Two copies on one database, one with the scoring screen open: the other's changes appear
within a second, text being typed is never wiped, and a clash is a choice, not a loss."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from matrix_desktop.services.context import open_services
from matrix_desktop.ui.interaction import interaction
from matrix_desktop.ui.workshop.screen import AssessmentScreen


@pytest.fixture
def screen(qtbot, ctx, services, place, syb, answers):
    ctx.set_services(services)
    aid = services.assessments.create(place.id, syb, "2021/22 Q2", participants=[("", "")] * 2).id
    s = AssessmentScreen(ctx, aid, undo_keys=True)
    qtbot.addWidget(s)
    s.resize(1366, 768)
    s.show()
    qtbot.waitExposed(s)
    s.aid = aid  # type: ignore[attr-defined]
    yield s


@pytest.fixture
def bob(services):
    other = open_services(services.db.path, user="bob")
    yield other
    other.close()


def _bob_sets(bob, aid, domain, **changes):  # type: ignore[no-untyped-def]
    seen = bob.assessments.record(aid).rating(domain)
    bob.assessments.execute(bob.assessments.edit_rating(aid, domain, seen=seen, **changes))


def _type_evidence(qtbot, screen, text: str) -> None:
    box = screen.details.evidence
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    qtbot.keyClicks(box, text)


def test_another_copys_stage_appears_while_typing_and_both_are_kept(qtbot, screen, bob, services):
    domain = screen.current_domain.key
    _type_evidence(qtbot, screen, "Half-typed")
    _bob_sets(bob, screen.aid, domain, stage="maturing")
    qtbot.waitUntil(lambda: screen.state.record.rating(domain).stage == "maturing", timeout=1000)
    assert "Maturing" in screen.domains.currentItem().text()
    assert screen.details.evidence.toPlainText() == "Half-typed"  # not wiped
    qtbot.keyClick(screen.details.evidence, Qt.Key.Key_Tab)  # leaving the box commits it
    stored = services.assessments.record(screen.aid).rating(domain)
    assert (stored.stage, stored.evidence) == ("maturing", "Half-typed")


@pytest.mark.parametrize("choice", ["Keep mine", "Take theirs"])
def test_typing_over_their_change_asks_theirs_or_mine(
    qtbot, screen, bob, services, monkeypatch, choice
):
    domain = screen.current_domain.key
    asked: list[str] = []

    def choose(parent, title, message, options):  # type: ignore[no-untyped-def]
        asked.append(message)
        assert options == ["Keep mine", "Take theirs"]
        return choice

    monkeypatch.setattr(interaction, "choose", choose)
    _type_evidence(qtbot, screen, "Mine")
    _bob_sets(bob, screen.aid, domain, evidence="Theirs")
    qtbot.waitUntil(lambda: screen.state.record.rating(domain).evidence == "Theirs", timeout=1000)
    assert screen.details.evidence.toPlainText() == "Mine"
    qtbot.keyClick(screen.details.evidence, Qt.Key.Key_Tab)
    assert len(asked) == 1 and "'Theirs'" in asked[0] and "'Mine'" in asked[0]
    expected = "Mine" if choice == "Keep mine" else "Theirs"
    assert services.assessments.record(screen.aid).rating(domain).evidence == expected
    qtbot.waitUntil(lambda: screen.details.evidence.toPlainText() == expected, timeout=1000)
    if choice == "Take theirs":
        assert screen.saved.text() == "NOT SAVED"


def test_undo_after_another_copys_change_to_the_same_field_asks(
    qtbot, screen, bob, services, monkeypatch
):
    domain = screen.current_domain.key
    asked: list[str] = []
    monkeypatch.setattr(interaction, "choose", lambda *a: asked.append(a[2]) or "Take theirs")
    screen.domains.setFocus()
    qtbot.keyClick(screen.domains, "2")
    assert services.assessments.record(screen.aid).rating(domain).stage == "developing"
    _bob_sets(bob, screen.aid, domain, stage="thriving")
    qtbot.waitUntil(lambda: screen.state.record.rating(domain).stage == "thriving", timeout=1000)
    qtbot.keyClick(screen.domains, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert asked and "Agreed stage" in asked[0]
    assert services.assessments.record(screen.aid).rating(domain).stage == "thriving"


def test_finalise_after_an_unseen_change_is_refused_then_allowed(
    qtbot, screen, bob, services, monkeypatch, answers
):
    monkeypatch.setattr(interaction, "confirm", lambda *a: True)
    screen.ctx._feed_timer.stop()  # the change has not reached this screen yet
    _bob_sets(bob, screen.aid, screen.current_domain.key, evidence="Late evidence")
    screen.finalise()
    assert answers and "changed since you last saw it" in answers[-1][1]
    assert not services.assessments.get(screen.aid).is_final
    screen.ctx.poll_feed()  # now it has: the screen shows it, and finalise goes through
    assert screen.details.evidence.toPlainText() == "Late evidence"
    answers.clear()
    screen.finalise()
    assert services.assessments.get(screen.aid).is_final
