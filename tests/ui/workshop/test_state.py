"""The scoring screen's view-model without Qt: its texts, spread rows, radar and live updates."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from matrix_desktop.core.commands import Change
from matrix_desktop.core.model import AssessmentKind, AssessmentRecord, Participant, Status, Vote
from matrix_desktop.core.workshop import SpreadRow
from matrix_desktop.services.context import Services
from matrix_desktop.ui.workshop.state import WorkshopState

SRC = Path(__file__).resolve().parents[3] / "src"


@dataclass
class Holder:
    """Stands in for the app's AppContext: the view-model needs the services, and whether the
    database is read-only."""

    services: Services | None
    read_only: bool = False


def test_the_view_model_loads_without_qt():
    code = (
        "import sys\n"
        "import matrix_desktop.ui.workshop.state\n"
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt was imported'\n"
    )
    env = {"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.fixture
def state(examples_copy) -> WorkshopState:
    """The view-model of an example self-assessment that has a previous round."""
    svc = examples_copy
    for a in svc.assessments.assessments():
        if a.kind is AssessmentKind.SELF_ASSESSMENT and svc.assessments.previous(a):
            return WorkshopState(Holder(svc), a.id)
    raise AssertionError("the examples have no self-assessment with a previous round")


def _with(state: WorkshopState, **changes) -> None:  # assessment=, ratings=, votes=
    rec = state.record
    state.record = AssessmentRecord(
        changes.pop("assessment", rec.assessment),
        changes.pop("ratings", rec.ratings),
        changes.pop("votes", rec.votes),
    )


def test_heading_names_entity_round_and_framework(state):
    a = state.record.assessment
    assert state.heading.startswith(f"{state.entity.name} · {state.round_name} · ")
    assert state.framework.title in state.heading
    assert ("facilitated by" in state.heading) == bool(a.facilitator)
    assert state.previous is not None and state.previous_label.startswith("Previous round: ")


def test_domain_lines_and_stage_names(state):
    d = state.scored[0]
    rating = state.record.rating(d.key)
    line = state.domain_line(d)
    assert line.startswith(f"{d.number}. {d.title}\n    ")
    assert state.stage_name(rating.stage) in line
    assert state.stage_name(None) == "not yet assessed"
    first = state.framework.stages[0]
    assert state.stage_name(first.key) == first.name


def test_views_text_and_the_spread_rows_follow_the_votes(state):
    d = state.scored[0]
    stages = state.framework.stages
    people = (Participant("p1", "Ann"), Participant("p2", "Bob"))
    aid = state.assessment_id
    _with(
        state,
        assessment=state.record.assessment.evolve(participants=people),
        votes=(Vote(aid, "p1", d.key, stages[0].key), Vote(aid, "p2", d.key, stages[2].key)),
    )
    assert state.views_text(d) == (
        f"2 views: {stages[0].name} 1, {stages[2].name} 1. VIEWS DIFFER: discuss before agreeing."
    )
    assert "views differ" in state.domain_line(d)
    assert state.participant_name("p2") == "Bob" and state.participant_name("nobody") == ""
    assert state.vote_map()[("p1", d.key)] == stages[0].key
    rows = state.spread_rows()
    assert len(rows) == len(state.framework.domains)
    assert all(isinstance(r, SpreadRow) for r in rows)
    first = rows[[x.key for x in state.framework.domains].index(d.key)]
    assert first.counts[:3] == (1, 0, 1) and first.voters == 2 and first.flagged
    _with(state, votes=())
    assert state.views_text(d) == "No views recorded yet."


def test_suggestion_text_compares_the_ticked_statements_with_the_agreed_stage(state):
    d = state.scored[0]
    stages = state.framework.stages
    agreed = state.record.rating(d.key).evolve(stage=stages[1].key, statements_met=())
    _with(state, ratings=(agreed,))
    assert state.suggestion_text(d, None).startswith(f"Agreed: {stages[1].name}. Tick the")
    ticked = agreed.evolve(statements_met=("s1",))
    _with(state, ratings=(ticked,))
    assert state.suggestion_text(d, None) == (
        f"Agreed: {stages[1].name}. The statements ticked do not yet support a stage."
    )
    assert state.suggestion_text(d, stages[1].key).endswith(f"suggest {stages[1].name}.")
    assert state.suggestion_text(d, stages[3].key).endswith("; the agreed stage stands.")


def test_refusal_while_final_and_for_a_domain_that_does_not_apply(state):
    d = state.scored[0]
    _with(state, assessment=state.record.assessment.evolve(status=Status.DRAFT))
    assert state.refusal(d) is None
    missing = [x for x in state.framework.domains if not state.applies(x)]
    for other in missing:  # a place partnership may have domains it is not scored on
        assert "does not apply" in state.refusal(other)
        assert state.refusal(other, staging=False) is None
    _with(state, assessment=state.record.assessment.evolve(status=Status.FINAL))
    assert "final and read-only" in state.refusal(d)


def test_radar_puts_this_assessment_first_then_the_previous_round(state):
    chart = state.radar_chart(state.options)
    assert [s.label for s in chart.series] == ["This assessment (agreed)", state.previous_label]
    assert chart.domains == tuple(str(d.number) for d in state.scored)
    assert state.radar_chart(state.options, numbered=False).domains[0] == state.scored[0].title


def test_apply_takes_the_next_revision_and_refuses_anything_else(state):
    d = state.scored[0]
    a = state.record.assessment
    stage = state.framework.stages[-1].key
    rating = state.record.rating(d.key).evolve(stage=stage)
    vote = Vote(a.id, "p9", d.key, stage)
    change = Change(a.id, frozenset({d.key}), frozenset({"rating"}), rating=rating, vote=vote)
    assert not state.apply(change)  # no revision: reload
    assert not state.apply(Change(a.id, revision=a.revision + 2))  # others changed it too
    assert not state.apply(Change(a.id, revision=a.revision + 1, external=True))
    assert not state.apply(Change(a.id, parts=frozenset({"status"}), revision=a.revision + 1))
    assert state.record.assessment == a  # nothing applied
    assert state.apply(replace(change, revision=a.revision + 1))
    assert state.record.rating(d.key).stage == stage
    assert state.record.assessment.revision == a.revision + 1
    assert vote in state.record.votes
    gone = replace(vote, stage=None)
    assert state.apply(Change(a.id, vote=gone, revision=a.revision + 2))
    assert vote not in state.record.votes  # a view taken back is removed


def test_reload_and_exists_follow_the_database(state):
    _with(state, ratings=())
    state.reload()
    assert state.record == state.services.assessments.record(state.assessment_id)
    assert state.record.ratings
    assert state.exists()
    state.ctx.services = None
    assert not state.exists()
