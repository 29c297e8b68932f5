"""Targets and actions with a life: carried across rounds, status edits, the plan, XLSX."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from matrix_desktop.core.errors import NotFound, ValidationFailed
from matrix_desktop.core.model import Action, ActionStatus
from matrix_desktop.core.plan import PlanFilter
from matrix_desktop.services.plan import PLAN_HEADERS, export_plan_xlsx


def _round(services, place, syb, name):
    return services.assessments.create(place.id, syb, name, facilitator="Fay")


def _act(services, aid, domain, *actions):
    svc = services.assessments
    return svc.execute(svc.edit_rating(aid, domain, actions=tuple(actions)))


def test_open_actions_and_targets_follow_into_the_next_round_with_their_ids(services, place, syb):
    first = _round(services, place, syb, "2030/31 Q1")
    keep = Action("11111111-1111-4111-8111-111111111111", "Joint estates plan", "Ann", "2031-03-31")
    done = Action(
        "22222222-2222-4222-8222-222222222222", "Shared record", "Bob", status=ActionStatus.DONE
    )
    _act(services, first.id, "leadership", keep, done)
    services.assessments.execute(
        services.plan.set_target(first.id, "leadership", "Thriving", "31/03/2032").edit
    )
    second = _round(services, place, syb, "2030/31 Q2")
    rating = services.assessments.record(second.id).rating("leadership")
    assert [a.id for a in rating.actions] == [keep.id]  # the same action, not a copy
    assert rating.target_stage == "thriving" and rating.target_date == "2032-03-31"
    audit = services.assessments.audit(second.id)[-1].detail
    assert "1 open action and 1 target carried from" in audit

    # The room updates it in the new round; the plan shows it once, as the new round says.
    edit = services.plan.set_action_status(keep.id[:8], ActionStatus.IN_PROGRESS, note="Draft out")
    services.assessments.execute(edit)
    rows = services.plan.plan(entity_ids=[place.id])
    mine = [r for r in rows if r.action.id == keep.id]
    assert len(mine) == 1
    assert mine[0].action.status is ActionStatus.IN_PROGRESS and mine[0].action.note == "Draft out"
    assert mine[0].round_name == "2030/31 Q2" and mine[0].first_round_name == "2030/31 Q1"
    assert mine[0].rounds == 2
    # The first round still records what it said then.
    assert services.assessments.record(first.id).rating("leadership").actions[0].status is (
        ActionStatus.OPEN
    )
    # Undo restores the action as it was.
    services.assessments.revert(edit)
    again = services.assessments.record(second.id).rating("leadership").actions[0]
    assert again.status is ActionStatus.OPEN and again.note == ""


def test_done_records_a_completion_date_and_is_audited(services, place, syb):
    a = _round(services, place, syb, "2030/31 Q1")
    act = Action("33333333-3333-4333-8333-333333333333", "Pool budgets", "Cara", "2020-01-01")
    _act(services, a.id, "leadership", act)
    row = services.plan.find(act.id)
    assert row.overdue  # a past due date is allowed, and marked
    services.assessments.execute(
        services.plan.set_action_status(act.id, ActionStatus.DONE, today="2030-05-01")
    )
    row = services.plan.find(act.id)
    assert row.action.completed_on == "2030-05-01" and not row.overdue
    last = services.assessments.audit(a.id)[0]  # newest first
    assert last.action == "rating" and "Pool budgets -> Pool budgets (done)" in last.detail


def test_action_held_by_a_final_assessment_is_refused_with_the_way_out(services, place, syb):
    a = _round(services, place, syb, "2030/31 Q1")
    act = Action("44444444-4444-4444-8444-444444444444", "Digital plan")
    _act(services, a.id, "leadership", act)
    services.assessments.execute(services.assessments.finalise(a.id))
    with pytest.raises(ValidationFailed, match="final: reopen it, or create the next round"):
        services.plan.set_action_status(act.id, ActionStatus.DONE)
    with pytest.raises(NotFound, match="no action with id 'zzzz'"):
        services.plan.find("zzzz")


def test_target_below_stage_warns_past_date_marks_unknown_stage_refused(services, place, syb):
    a = _round(services, place, syb, "2030/31 Q1")
    svc = services.assessments
    svc.execute(svc.edit_rating(a.id, "leadership", stage="maturing"))
    te = services.plan.set_target(a.id, "leadership", "developing", "2001-01-01")
    assert any("below the agreed stage Maturing" in w for w in te.warnings)
    svc.execute(te.edit)
    assert svc.record(a.id).rating("leadership").target_stage == "developing"
    te = services.plan.set_target(a.id, "leadership", "thriving", "2001-01-01")
    assert te.warnings == ("the target date 2001-01-01 has passed",)
    with pytest.raises(ValidationFailed, match="'golden' is not a stage"):
        services.plan.set_target(a.id, "leadership", "golden", None)
    with pytest.raises(ValidationFailed, match="Target date 31/02/2031"):
        services.plan.set_target(a.id, "leadership", "thriving", "31/02/2031")
    assert svc.record(a.id).rating("leadership").target_stage == "developing"


def test_plan_filters_and_xlsx_export(services, place, syb, tmp_path):
    a = _round(services, place, syb, "2030/31 Q1")
    late = Action("55555555-5555-4555-8555-555555555555", "Late one", "Ann", "2001-01-01")
    later = Action("66666666-6666-4666-8666-666666666666", "Later one", "Bob", "2999-01-01")
    _act(services, a.id, "leadership", late)
    _act(services, a.id, "governance", later)
    plan = services.plan
    assert [r.action.what for r in plan.plan(entity_ids=[place.id])] == ["Late one", "Later one"]
    only = plan.plan(system_id=place.system_id, plan_filter=PlanFilter(overdue_only=True))
    assert [r.action.id for r in only] == [late.id]
    by_owner = plan.plan(entity_ids=[place.id], plan_filter=PlanFilter(owner="bo"))
    assert [r.action.id for r in by_owner] == [later.id]
    by_domain = plan.plan(entity_ids=[place.id], plan_filter=PlanFilter(domain_key="governance"))
    assert [r.action.id for r in by_domain] == [later.id]
    status = PlanFilter(status=ActionStatus.DONE)
    assert plan.plan(entity_ids=[place.id], plan_filter=status) == []
    path = export_plan_xlsx(plan.plan(entity_ids=[place.id]), tmp_path / "plan.xlsx")
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == PLAN_HEADERS
    assert rows[1][2] == "Late one" and rows[1][6] == "overdue"


def test_single_view_heatmap_has_a_targets_column_with_the_distance(services, place, syb):
    a = _round(services, place, syb, "2030/31 Q1")
    svc = services.assessments
    svc.execute(svc.edit_rating(a.id, "leadership", stage="developing"))
    svc.execute(svc.edit_rating(a.id, "governance", stage="thriving"))
    svc.execute(services.plan.set_target(a.id, "leadership", "thriving", "2032-03-31").edit)
    svc.execute(services.plan.set_target(a.id, "governance", "maturing", None).edit)
    svc.execute(svc.finalise(a.id))
    view = services.single_view.single_view(place.system_id)
    headers, rows = view.sections[0].tables()["Heatmap"]
    assert headers[-1] == "Targets (distance)"
    assert rows[0][-1] == (
        "Leadership: Thriving by 2032-03-31 (2 stages to go); "
        "Governance: Maturing (exceeded by 1 stage)"
    )


def test_the_same_action_id_in_two_entities_stays_two_actions(services, place, syb):
    from matrix_desktop.core.framework import EntityKind

    other = services.catalog.create_entity(
        place.system_id, "Otherton", EntityKind.PLACE_PARTNERSHIP
    )
    a = _round(services, place, syb, "2030/31 Q1")
    b = services.assessments.create(other.id, syb, "2030/31 Q1")
    same = Action("abababab-abab-4bab-8bab-abababababab", "Ours", "Ann")
    _act(services, a.id, "leadership", same)
    _act(services, b.id, "leadership", Action(same.id, "Theirs", "Bo"))
    rows = services.plan.plan(system_id=place.system_id)
    assert sorted(r.action.what for r in rows) == ["Ours", "Theirs"]
    with pytest.raises(NotFound, match="2 actions with id"):
        services.plan.find(same.id)
    edit = services.plan.set_action_status(same.id, ActionStatus.DONE, entity_id=other.id)
    services.assessments.execute(edit)
    assert services.plan.find(same.id, place.id).action.status is ActionStatus.OPEN
    assert services.plan.find(same.id, other.id).action.status is ActionStatus.DONE


def test_plan_xlsx_keeps_an_action_typed_as_a_formula_as_text(services, place, syb, tmp_path):
    a = _round(services, place, syb, "2030/31 Q1")
    hostile = Action("77777777-7777-4777-8777-777777777777", "=1+2", "@owner", "2031-01-01")
    _act(services, a.id, "leadership", hostile)
    path = export_plan_xlsx(services.plan.plan(entity_ids=[place.id]), tmp_path / "plan.xlsx")
    row = list(load_workbook(path).active.iter_rows(min_row=2, max_row=2))[0]
    assert (row[2].value, row[2].data_type) == ("=1+2", "s")
    assert (row[3].value, row[3].data_type) == ("@owner", "s")
