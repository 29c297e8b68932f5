"""GUI: starting a peer review and scoring it from the keyboard beside the self-assessment."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from matrix_desktop.core.model import AssessmentKind, ReviewPosition
from matrix_desktop.ui.peer_review import PeerReviewWidget, StartReviewForm
from matrix_desktop.ui.table_model import TextTableModel

pytestmark = pytest.mark.gui


def _target(services):
    entity = services.catalog.find_entity("Barnsley")
    rnd = services.catalog.find_round("2021/22 Q2")
    return next(
        a
        for a in services.assessments.assessments(entity.id, rnd.id)
        if a.kind is AssessmentKind.SELF_ASSESSMENT
    )


def test_start_form_starts_a_review_and_shows_the_facilitator_warning(qtbot, services):
    target = _target(services)
    form = StartReviewForm(services)
    qtbot.addWidget(form)
    form.assessment.setCurrentIndex(form.assessment.findData(target.id))
    qtbot.keyClicks(form.reviewer, target.facilitator)
    with qtbot.waitSignal(form.started) as blocker:
        qtbot.keyClick(form.reviewer, Qt.Key.Key_Return)
    review = services.assessments.get(blocker.args[0])
    assert review.reviews_id == target.id and review.kind is AssessmentKind.PEER_REVIEW
    assert "Warning:" in form.message.text() and "facilitated" in form.message.text()


def test_start_form_refuses_a_missing_reviewer_name(qtbot, services):
    form = StartReviewForm(services)
    qtbot.addWidget(form)
    with qtbot.assertNotEmitted(form.started):
        qtbot.mouseClick(form.start, Qt.MouseButton.LeftButton)
    assert "reviewer's name" in form.message.text()


@pytest.fixture
def review_widget(qtbot, services):
    target = _target(services)
    review = services.peer_review.start_review(target.id, "Ann", "Doncaster Council").review
    applied = []

    def apply(command):
        applied.append(command)
        return services.assessments.execute(command)

    widget = PeerReviewWidget(services, review.id, apply=apply)
    qtbot.addWidget(widget)
    widget.resize(1100, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget, review, applied


def test_reviewer_scores_with_keys_and_comments_beside_the_self_view(
    qtbot, services, review_widget
):
    widget, review, applied = review_widget
    fw = widget.view.framework
    first = widget.view.domains[0]
    assert widget.self_evidence.toPlainText() == first.evidence
    widget.domains.setFocus()
    qtbot.keyClick(widget.domains, Qt.Key.Key_1)
    assert (
        services.assessments.record(review.id).rating(first.domain_key).stage == fw.stage_at(1).key
    )
    qtbot.keyClick(widget.domains, Qt.Key.Key_Down)
    second = widget.view.domains[1]
    assert widget.domains.currentRow() == 1
    assert widget.self_rationale.toPlainText() == second.rationale
    qtbot.keyClick(widget.domains, Qt.Key.Key_4)
    widget.challenge.click()
    widget.comment.setFocus()
    qtbot.keyClicks(widget.comment, "Where is the evidence?")
    widget.domains.setFocus()  # leaving the box commits it, as one command
    qtbot.waitUntil(lambda: widget.view.domains[1].comment == "Where is the evidence?")
    rating = services.assessments.record(review.id).rating(second.domain_key)
    assert rating.stage == "thriving" and rating.review_position is ReviewPosition.CHALLENGE
    assert rating.review_comment == "Where is the evidence?"
    assert len(applied) == 4
    differs = first.self_stage != fw.stage_at(1).key
    assert ("[differs]" in widget.domains.item(0).text()) == differs


def test_overall_narrative_is_saved_and_undo_refreshes_the_widget(qtbot, services, review_widget):
    widget, review, applied = review_widget
    widget.strengths.setFocus()
    qtbot.keyClicks(widget.strengths, "Shared purpose")
    widget.areas.setFocus()
    qtbot.waitUntil(lambda: services.assessments.get(review.id).strengths == "Shared purpose")
    services.assessments.revert(applied[-1])
    qtbot.waitUntil(lambda: widget.strengths.toPlainText() == "")


def test_self_vs_peer_tab_lists_every_domain_with_flags(qtbot, services, review_widget):
    widget, review, _ = review_widget
    d = widget.view.domains[0]
    fw = widget.view.framework
    other = 1 if (d.self_position or 1) != 1 else 2
    widget.set_stage(other)
    widget.tabs.setCurrentIndex(1)
    model: TextTableModel = widget.table_model
    assert model.rowCount() == len(widget.view.domains)
    assert model.rows[0][2] == fw.stage_at(other).name
    assert "(flagged)" in model.rows[0][3]
    assert [s.label for s in widget.radar.chart.series][0] == "Self-assessment"


def test_a_final_review_is_shown_read_only(qtbot, services):
    target = _target(services)
    review = services.peer_review.start_review(target.id, "Ann").review
    services.assessments.execute(services.assessments.finalise(review.id))
    widget = PeerReviewWidget(services, review.id)
    qtbot.addWidget(widget)
    assert not widget.comment.isEnabled()
    assert "read-only" in widget.message.text()
    qtbot.keyClick(widget.domains, Qt.Key.Key_2)
    assert (
        services.assessments.record(review.id).rating(widget.view.domains[0].domain_key).stage
        is None
    )


def test_refused_edit_is_reported_in_place(qtbot, services, review_widget):
    widget, review, _ = review_widget

    def refuse(command):
        from matrix_desktop.core.errors import ValidationFailed

        raise ValidationFailed("disk full")

    widget.apply = refuse
    widget.set_stage(2)
    assert widget.message.text() == "disk full"


@pytest.mark.parametrize("close", [True, False], ids=["closed", "only-deleted"])
def test_the_widget_stops_listening_when_closed_or_destroyed(qtbot, services, close):
    from PySide6.QtCore import QCoreApplication, QEvent

    target = _target(services)
    review = services.peer_review.start_review(target.id, "Ann", "Doncaster Council").review
    before = len(services.assessments._listeners)
    for _ in range(4):
        widget = PeerReviewWidget(services, review.id)
        assert len(services.assessments._listeners) == before + 1
        if close:
            widget.close()
            assert len(services.assessments._listeners) == before
        widget.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        del widget
        assert len(services.assessments._listeners) == before


def test_reviewer_records_feedback_on_the_matrix_with_keys_and_undo_takes_it_back(
    qtbot, services, review_widget
):
    from matrix_desktop.ui.workshop.feedback import FeedbackDialog

    widget, review, applied = review_widget
    widget.domains.setFocus()
    qtbot.keyClick(widget.domains, Qt.Key.Key_Down)
    domain = widget.view.domains[1]
    qtbot.keyClick(
        widget.domains,
        Qt.Key.Key_K,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: widget.findChild(FeedbackDialog) is not None)
    dialog = widget.findChild(FeedbackDialog)
    qtbot.waitUntil(dialog.isVisible)
    # About: the domain as a whole first, then its statements; Down picks the first statement.
    statement = widget.view.framework.domain(domain.domain_key).statements[0]
    dialog.about.setFocus()
    qtbot.keyClick(dialog.about, Qt.Key.Key_Down)
    assert dialog.about.currentData() == statement.id
    dialog.text.setFocus()
    qtbot.keyClicks(dialog.text, "What counts as shared?")
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(services.feedback.for_assessment(review.id)) == 1)
    (fb,) = services.feedback.for_assessment(review.id)
    assert (fb.domain_key, fb.statement_id, fb.text) == (
        domain.domain_key,
        statement.id,
        "What counts as shared?",
    )
    assert widget.message.text() == "Feedback on the matrix recorded."
    services.assessments.revert(applied[-1])  # the window's Ctrl+Z
    assert services.feedback.for_assessment(review.id) == []


def test_a_final_review_takes_no_feedback_on_the_matrix(qtbot, services):
    target = _target(services)
    review = services.peer_review.start_review(target.id, "Ann").review
    services.assessments.execute(services.assessments.finalise(review.id))
    widget = PeerReviewWidget(services, review.id)
    qtbot.addWidget(widget)
    assert not widget.feedback_button.isEnabled()
    assert widget.record_feedback() is None
    assert "draft review" in widget.message.text()
