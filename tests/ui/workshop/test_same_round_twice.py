"""A second self-assessment of the same place, round and framework: the new-assessment dialog
warns, refuses it and offers the existing one; where an older database (or an import) holds
two, the place's page shows the more complete one, never "—"."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from matrix_desktop.core.model import AssessmentKind
from matrix_desktop.ui.context import AppContext
from matrix_desktop.ui.interaction import interaction
from matrix_desktop.ui.main_window import MainWindow
from matrix_desktop.ui.workshop.new_assessment import OPEN_EXISTING, NewAssessmentDialog
from matrix_desktop.ui.workshop.screen import AssessmentScreen

pytestmark = pytest.mark.gui

ROUND = "2021/22 Q2"


@pytest.fixture
def window(qtbot, tmp_path, db_path):
    ctx = AppContext(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    assert win.open_database(str(db_path))
    win.import_examples()
    return win


def _self_assessments(svc, entity_id):
    rnd = svc.catalog.find_round(ROUND)
    return [
        a
        for a in svc.assessments.assessments(entity_id, rnd.id)
        if a.kind is AssessmentKind.SELF_ASSESSMENT
    ]


def _start_button(dialog):
    box = dialog.findChild(QDialogButtonBox)
    return box.button(QDialogButtonBox.StandardButton.Ok)


def _choose_round(qtbot, dialog, name):
    line = dialog.round.lineEdit()
    line.selectAll()
    qtbot.keyClicks(line, name)
    assert dialog.round.currentText() == name


class Choices(list):
    """The choices asked (title, message, options); `answer` is what the user picks."""

    answer: str | None = None


@pytest.fixture
def choices(monkeypatch):
    asked = Choices()

    def choose(parent, title, message, options):
        asked.append((title, message, options))
        return asked.answer

    monkeypatch.setattr(interaction, "choose", choose)
    return asked


def test_new_assessment_for_an_assessed_round_offers_to_open_the_existing_one(
    qtbot, window, choices
):
    svc = window.ctx.services
    barnsley = svc.catalog.find_entity("Barnsley")
    (existing,) = _self_assessments(svc, barnsley.id)
    window.show_entity(barnsley.id)
    choices.answer = OPEN_EXISTING
    seen: list[str] = []

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, NewAssessmentDialog):
            QTimer.singleShot(10, drive)
            return
        try:
            _choose_round(qtbot, dialog, "2022/23 Q1")  # a new round: nothing to warn about
            assert not dialog.duplicate.isVisible()
            _choose_round(qtbot, dialog, ROUND)
            assert dialog.duplicate.isVisible()
            seen.append(dialog.duplicate.text())
            qtbot.mouseClick(_start_button(dialog), Qt.MouseButton.LeftButton)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, drive)
    window.new_action.trigger()  # File > New assessment (Ctrl+N)
    assert seen and "already has a self-assessment in this round" in seen[0]
    assert existing.title in seen[0] and "13 of 13 domains scored" in seen[0]
    title, message, options = choices[-1]
    assert title == "Already assessed" and options == [OPEN_EXISTING]
    assert existing.title in message and ROUND in message
    # the existing one opened; no second one was made
    screen = window.stack.currentWidget()
    assert isinstance(screen, AssessmentScreen) and screen.state.assessment_id == existing.id
    assert len(_self_assessments(svc, barnsley.id)) == 1


def test_cancel_keeps_the_dialog_and_a_second_one_is_never_made(qtbot, window, choices):
    svc = window.ctx.services
    barnsley = svc.catalog.find_entity("Barnsley")
    dialog = NewAssessmentDialog(window.ctx, barnsley.id, window)
    qtbot.addWidget(dialog)
    dialog.show()
    _choose_round(qtbot, dialog, ROUND)
    qtbot.keyClicks(dialog.facilitator, "Jo Facilitator")
    choices.answer = None  # the user cancels the question
    qtbot.mouseClick(_start_button(dialog), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.assessment_id is None
    assert dialog.facilitator.text() == "Jo Facilitator"  # nothing typed is lost
    assert len(_self_assessments(svc, barnsley.id)) == 1
    title, _message, options = choices[-1]
    assert title == "Already assessed" and options == [OPEN_EXISTING]


def _second_copy(svc, assessment_id):
    """Store a second, empty self-assessment of the same round, as an old database may hold."""
    from dataclasses import replace

    from matrix_desktop.core.model import AssessmentRecord, Status, new_id

    first = svc.assessments.get(assessment_id)
    copy = replace(first, id=new_id(), title=first.title + " (copy)", status=Status.DRAFT)
    return svc.assessments.add_record(AssessmentRecord(copy), "second copy (test)")


def test_place_page_shows_the_scored_assessment_when_a_round_has_two(qtbot, window, choices):
    svc = window.ctx.services
    barnsley = svc.catalog.find_entity("Barnsley")
    (scored,) = _self_assessments(svc, barnsley.id)
    # the scored one is a draft again (being revised) when an empty second one is started
    svc.assessments.execute(svc.assessments.reopen(scored.id, "revise the evidence"))
    _second_copy(svc, scored.id)
    assert len(_self_assessments(svc, barnsley.id)) == 2

    window.show_entity(barnsley.id)
    progress = window.entity_page.progress
    assert progress.progress is not None
    assert progress.progress.rounds[-1] == ROUND
    latest = progress.radar.chart.series[0]
    assert latest.label == ROUND and all(v is not None for v in latest.values)
    column = [row[-2] for row in progress.table_model.rows]  # the latest round's stages
    assert "—" not in column
    assert progress.progress.shown_ids[-1] == scored.id
    assert f"{ROUND} has 2 self-assessments" in progress.message.text()
    # both are listed on the page, to open either
    assert window.entity_page.model.rowCount() == 3
