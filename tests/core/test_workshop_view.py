"""The workshop's plain view values: stage positions, vote bands and the live radar's series."""

from __future__ import annotations

from matrix_desktop.core.framework import EntityKind
from matrix_desktop.core.framework_file import read_framework_file
from matrix_desktop.core.model import Assessment, AssessmentRecord, Rating, Vote
from matrix_desktop.core.workshop import RadarOptions, workshop_radar
from matrix_desktop.paths import frameworks_dir

FW = read_framework_file(frameworks_dir() / "syb_place_development_matrix_v1_4.yaml")


def _record(aid: str, stages: dict[str, str], votes=()) -> AssessmentRecord:
    ratings = tuple(Rating(aid, k, stage=s) for k, s in stages.items())
    return AssessmentRecord(Assessment(aid, "e", FW.key, FW.version, "r"), ratings, tuple(votes))


def test_radar_has_this_assessment_first_with_the_room_band_then_last_round():
    d0, d1 = FW.domains[0].key, FW.domains[1].key
    votes = [
        Vote("a", "p1", d0, "emerging"),
        Vote("a", "p2", d0, "thriving"),
        Vote("a", "p3", d1, None),
    ]
    chart = workshop_radar(
        FW,
        EntityKind.PLACE_PARTNERSHIP,
        _record("a", {d0: "maturing"}, votes),
        previous=_record("b", {d1: "developing"}),
        numbered=True,
    )
    assert chart.domains[:2] == ("1", "2") and len(chart.domains) == 13
    this, last = chart.series
    assert this.values[:2] == (3.0, None)
    assert this.band[:2] == ((1.0, 4.0), None)
    assert last.values[:2] == (None, 2.0)


def test_options_leave_out_the_previous_round_and_the_band():
    chart = workshop_radar(
        FW,
        None,
        _record("a", {}),
        previous=_record("b", {}),
        options=RadarOptions(previous=False, spread=False),
    )
    assert len(chart.series) == 1 and chart.series[0].band is None
    assert chart.domains[0] == FW.domains[0].title
