"""The improvement plan on a real throwaway PostgreSQL server: the 0006 columns, open actions
carried into the next round, the plan query on the driver connection, status and targets."""

from __future__ import annotations

from matrix_desktop.core.framework import EntityKind
from matrix_desktop.core.model import Action, ActionStatus
from matrix_desktop.core.plan import PlanFilter
from matrix_desktop.services.context import open_services

# The server and pg_url fixtures are in conftest.py (server start/stop: benchmarks/_pgserver.py).


def test_plan_targets_and_status_on_postgres(pg_url):
    svc = open_services(pg_url, user="regional")
    try:
        syb = svc.catalog.framework("syb-place-development-matrix")
        system = svc.catalog.create_system("PG ICS")
        place = svc.catalog.create_entity(system.id, "PG Place", EntityKind.PLACE_PARTNERSHIP)
        a = svc.assessments.create(place.id, syb, "2030/31 Q1").id
        act = Action("deadbeef-0000-4000-8000-000000000001", "Estates", "Ann", "2001-01-01")
        svc.assessments.execute(
            svc.assessments.edit_rating(a, "leadership", stage="developing", actions=(act,))
        )
        svc.assessments.execute(svc.plan.set_target(a, "leadership", "thriving", "2032-03-31").edit)
        b = svc.assessments.create(place.id, syb, "2030/31 Q2").id
        carried = svc.assessments.record(b).rating("leadership")
        assert carried.actions == (act,) and carried.target_stage == "thriving"
        (row,) = svc.plan.plan(system_id=system.id, plan_filter=PlanFilter(overdue_only=True))
        assert (row.round_name, row.first_round_name, row.rounds) == ("2030/31 Q2", "2030/31 Q1", 2)
        svc.assessments.execute(svc.plan.set_action_status(act.id, ActionStatus.DONE))
        assert svc.plan.find(act.id).action.status is ActionStatus.DONE
        svc.assessments.execute(svc.assessments.finalise(a))
        view = svc.single_view.single_view(system.id)
        assert view.sections[0].tables()["Heatmap"][1][0][-1].startswith("Leadership: Thriving")
    finally:
        svc.close()
