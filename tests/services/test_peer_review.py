"""Peer review: starting one, refusing bad ones, editing through commands, self vs peer."""

from __future__ import annotations

import pytest

from matrix_desktop.core.errors import FinalisedError, ValidationFailed
from matrix_desktop.core.framework import FrameworkRef
from matrix_desktop.core.model import AssessmentKind, ReviewPosition, Status


def _final_self(services, name="Barnsley", round_name="2021/22 Q2"):
    entity = services.catalog.find_entity(name)
    rnd = services.catalog.find_round(round_name)
    (a,) = [
        x
        for x in services.assessments.assessments(entity.id, rnd.id)
        if x.kind is AssessmentKind.SELF_ASSESSMENT
    ]
    assert a.is_final
    return a


def test_start_review_creates_a_draft_peer_review_of_the_same_version(services):
    target = _final_self(services)
    started = services.peer_review.start_review(target.id, "Ann Other", "Doncaster Council")
    review = started.review
    assert started.warnings == ()
    stored = services.assessments.get(review.id)
    assert stored.kind is AssessmentKind.PEER_REVIEW and stored.status is Status.DRAFT
    assert stored.reviews_id == target.id
    assert (stored.framework_key, stored.framework_version) == (
        target.framework_key,
        target.framework_version,
    )
    assert stored.round_id == target.round_id and stored.entity_id == target.entity_id
    assert (stored.reviewer_name, stored.reviewer_organisation) == (
        "Ann Other",
        "Doncaster Council",
    )
    assert services.peer_review.reviews_of(target.id) == [stored]
    assert services.assessments.audit(review.id)[0].action == "create"


def test_a_draft_self_assessment_is_refused(services):
    entity = services.catalog.find_entity("Barnsley")
    fw = services.catalog.framework("syb-place-development-matrix")
    draft = services.assessments.create(entity.id, fw, "2022/23 Q1")
    before = len(services.assessments.assessments(entity.id))
    with pytest.raises(ValidationFailed, match="still a draft.*finalise it first"):
        services.peer_review.start_review(draft.id, "Ann Other", "Doncaster Council")
    assert len(services.assessments.assessments(entity.id)) == before


def test_a_different_framework_version_is_refused(services):
    target = _final_self(services)
    with pytest.raises(ValidationFailed, match="must use the same version, not v9"):
        services.peer_review.start_review(
            target.id, "Ann", framework=FrameworkRef(target.framework_key, "v9")
        )


def test_the_facilitator_as_reviewer_is_warned_not_refused(services):
    target = _final_self(services)
    started = services.peer_review.start_review(target.id, f"  {target.facilitator.upper()} ", "")
    assert len(started.warnings) == 1
    assert "facilitated this self-assessment" in started.warnings[0]


def test_a_reviewer_from_a_member_organisation_is_warned(services):
    target = _final_self(services)
    entity = services.catalog.entity(target.entity_id)
    warnings = services.peer_review.check(target.id, "Bo", entity.members[0])
    assert warnings and f"member of {entity.name}" in warnings[0]


def test_reviewer_name_is_required_and_a_review_cannot_be_reviewed(services):
    target = _final_self(services)
    with pytest.raises(ValidationFailed, match="reviewer's name"):
        services.peer_review.start_review(target.id, "   ")
    review = services.peer_review.start_review(target.id, "Ann").review
    with pytest.raises(ValidationFailed, match="itself a peer review"):
        services.peer_review.start_review(review.id, "Bo")


def test_self_vs_peer_flags_differences_and_keeps_comments_in_place(services):
    target = _final_self(services)
    review = services.peer_review.start_review(target.id, "Ann", "Doncaster Council").review
    own = services.assessments.record(target.id)
    fw = services.assessments.framework_of(target)
    keys = [d.key for d in fw.domains]
    first, second = keys[0], keys[1]
    same = own.rating(first).stage
    pos = fw.stage(own.rating(second).stage).position
    lower = fw.stage_at(pos - 1 if pos > 1 else pos + 1).key
    run = services.assessments.execute
    edit = services.assessments.edit_rating
    run(edit(review.id, first, stage=same, review_position=ReviewPosition.AGREE))
    run(
        edit(
            review.id,
            second,
            stage=lower,
            review_position=ReviewPosition.CHALLENGE,
            review_comment="Evidence is thin",
            review_suggestions="Share the data plan",
        )
    )
    run(services.assessments.edit_details(review.id, strengths="Strong relationships"))
    view = services.peer_review.self_vs_peer(review.id)
    rows = {d.domain_key: d for d in view.domains}
    assert rows[first].difference == 0 and not rows[first].flagged
    assert rows[second].flagged and abs(rows[second].difference) == 1
    assert rows[second].comment == "Evidence is thin"
    assert rows[second].suggestions == "Share the data plan"
    assert rows[second].evidence == own.rating(second).evidence
    assert rows[keys[2]].peer_stage is None and not rows[keys[2]].flagged
    assert [d.domain_key for d in view.flagged] == [second]
    assert [d.domain_key for d in view.challenged] == [second]
    assert view.review.strengths == "Strong relationships"
    radar = view.radar()
    assert [s.label for s in radar.series] == [
        "Self-assessment",
        "Peer review: Ann (Doncaster Council)",
    ]
    assert radar.series[1].values[:3] == (fw.stage(same).position, fw.stage(lower).position, None)
    assert view.difference_heatmap().rows[0].values[1] == rows[second].difference


def test_review_edits_undo_and_are_audited(services):
    target = _final_self(services)
    review = services.peer_review.start_review(target.id, "Ann").review
    key = services.assessments.framework_of(target).domains[0].key
    cmd = services.assessments.edit_rating(review.id, key, stage="thriving", review_comment="x")
    services.assessments.execute(cmd)
    services.assessments.revert(cmd)
    assert services.assessments.record(review.id).rating(key).stage is None
    actions = [e.action for e in services.assessments.audit(review.id)]
    assert actions[:2] == ["undo rating", "rating"]


def test_a_final_review_is_read_only(services):
    target = _final_self(services)
    review = services.peer_review.start_review(target.id, "Ann").review
    services.assessments.execute(services.assessments.finalise(review.id))
    key = services.assessments.framework_of(target).domains[0].key
    with pytest.raises(FinalisedError):
        services.assessments.execute(
            services.assessments.edit_rating(review.id, key, stage="emerging")
        )


def test_self_vs_peer_of_a_self_assessment_is_refused(services):
    target = _final_self(services)
    with pytest.raises(ValidationFailed, match="is not a peer review"):
        services.peer_review.self_vs_peer(target.id)


def test_review_travels_by_exchange_file_and_back(services, tmp_path):
    """A review made on another laptop arrives with its self-assessment and lines up."""
    from matrix_desktop.services.context import open_services

    target = _final_self(services)
    outbound = tmp_path / "to-reviewer.mdx.json"
    services.exchange.export([target.id], outbound)
    laptop = open_services(tmp_path / "reviewer.sqlite3", user="reviewer")
    try:
        laptop.exchange.import_paths([outbound])
        review = laptop.peer_review.start_review(target.id, "Ann", "Doncaster Council").review
        key = laptop.assessments.framework_of(target).domains[0].key
        laptop.assessments.execute(
            laptop.assessments.edit_rating(
                review.id, key, stage="emerging", review_position=ReviewPosition.CHALLENGE
            )
        )
        back = tmp_path / "review.mdx.json"
        laptop.exchange.export([review.id], back)
    finally:
        laptop.close()
    services.exchange.import_paths([back])
    view = services.peer_review.self_vs_peer(review.id)
    assert view.domains[0].peer_stage == "emerging"
    assert view.domains[0].position is ReviewPosition.CHALLENGE


@pytest.mark.parametrize("field", ["entity_id", "round_id", "reviews_id"])
def test_a_review_of_another_place_or_of_a_review_is_refused(services, field):
    from dataclasses import replace

    from matrix_desktop.core.model import Assessment, AssessmentRecord, new_id

    target = _final_self(services)
    other = _final_self(services, "Doncaster")
    good = services.peer_review.start_review(target.id, "Ann Other").review
    bad_values = {
        "entity_id": other.entity_id,
        "round_id": services.catalog.find_round("2020/21 Q4").id,
        "reviews_id": good.id,  # a review of a review
    }
    bad: Assessment = replace(good, id=new_id(), **{field: bad_values[field]})
    count = len(services.assessments.assessments())
    with pytest.raises(ValidationFailed, match="Peer review .*(another|a peer review)"):
        services.assessments.add_record(AssessmentRecord(bad), "hostile")
    assert len(services.assessments.assessments()) == count
