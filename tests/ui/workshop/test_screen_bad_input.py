"""The scoring screen with bad input: a domain that does not apply, a final assessment, odd text."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt

from matrix_desktop.core.framework import EntityKind
from matrix_desktop.ui.workshop.screen import AssessmentScreen


@pytest.fixture
def screen_for(qtbot, ctx, services, place):
    ctx.set_services(services)

    def make(framework):
        aid = services.assessments.create(
            place.id, framework, "2021/22 Q2", participants=[("", "")] * 2
        ).id
        screen = AssessmentScreen(ctx, aid, undo_keys=True)
        qtbot.addWidget(screen)
        screen.resize(1366, 768)
        screen.show()
        qtbot.waitExposed(screen)
        screen.activateWindow()
        qtbot.waitUntil(screen.isActiveWindow)
        screen.domains.setFocus()
        return screen, aid

    return make


def test_stage_key_on_a_domain_that_does_not_apply_says_so(
    qtbot, screen_for, services, syb, answers
):
    only_collab = dataclasses.replace(
        syb.domains[1], applies_to=(EntityKind.PROVIDER_COLLABORATIVE,)
    )
    fw = dataclasses.replace(
        syb, version="test-not-applying", domains=(syb.domains[0], only_collab, *syb.domains[2:])
    )
    services.catalog.add_framework(fw)
    screen, aid = screen_for(services.catalog.framework(fw.key, fw.version))
    assert "does not apply" in screen.domains.item(1).text()
    qtbot.keyClick(screen.domains, Qt.Key.Key_PageDown)
    qtbot.keyClick(screen.domains, "2")
    assert "does not apply" in screen.message.text()
    assert services.assessments.record(aid).rating(only_collab.key).stage is None
    assert len(screen.radar.view.chart.domains) == len(syb.domains) - 1
    assert answers == []


def test_a_final_assessment_refuses_keys_and_text_with_a_message(
    qtbot, screen_for, services, syb, answers, monkeypatch
):
    screen, aid = screen_for(syb)
    qtbot.keyClick(screen.domains, "2")
    services_record = services.assessments.record(aid)
    from matrix_desktop.ui.interaction import interaction

    monkeypatch.setattr(interaction, "confirm", lambda *a, **k: True)
    screen.finalise()
    qtbot.keyClick(screen.domains, "4")
    qtbot.keyClick(screen.domains, Qt.Key.Key_Delete)
    assert "final" in screen.message.text()
    qtbot.keyClicks(screen.details.evidence, "typed into a final assessment")
    screen.flush()
    after = services.assessments.record(aid)
    assert after.ratings == services_record.ratings
    assert screen.details.evidence.toPlainText() == ""  # read-only: nothing was typed
    # reopening needs a reason, recorded in the audit trail
    monkeypatch.setattr(interaction, "ask_text", lambda *a, **k: "Peer review challenged 3")
    screen.reopen()
    qtbot.keyClick(screen.domains, "4")
    assert services.assessments.record(aid).rating(syb.domains[0].key).stage == "thriving"
    reopen = [e for e in services.assessments.audit(aid) if e.action == "reopen"]
    assert reopen and "Peer review challenged 3" in reopen[0].detail


def test_text_in_any_script_and_control_characters(qtbot, screen_for, services, syb, answers):
    screen, aid = screen_for(syb)
    text = "Ελληνικά · עברית · हिन्दी · 日本語 · 👩🏽‍⚕️\nline two"
    screen.details.rationale.setPlainText(text)
    screen.details.rationale.flush()
    assert services.assessments.record(aid).rating(syb.domains[0].key).rationale == text
    screen.details.evidence.setPlainText("bell \x07 here")
    screen.details.evidence.flush()  # refused with a clear message; the text stays on screen
    assert answers and "control character U+0007" in answers[-1][1]
    assert screen.details.evidence.toPlainText() == "bell \x07 here"
    assert services.assessments.record(aid).rating(syb.domains[0].key).evidence == ""
