"""Pure comparison rules: standings, ranking, theme grouping, direction of travel."""

from __future__ import annotations

from pathlib import Path

import pytest

from matrix_desktop.core.comparison import (
    RaisedTheme,
    direction_of_travel,
    domain_standings,
    group_themes,
    rank_by_median,
    rank_by_spread,
    stage_name,
    tag_summaries,
)
from matrix_desktop.core.framework_file import read_framework_file
from matrix_desktop.core.model import Direction, ThemeItem

ICS_FILE = (
    Path(__file__).resolve().parents[2] / "resources/frameworks/nhs_ics_maturity_matrix_2019.yaml"
)


@pytest.fixture(scope="module")
def ics():
    return read_framework_file(ICS_FILE)


def test_standings_and_rankings(ics):
    keys = [d.key for d in ics.domains]
    rows = [(1, 4, 2, None, 2), (3, 4, 2, None, 2), (2, 1, 2, None, 2)]
    standings = {s.domain_key: s for s in domain_standings(ics, keys, rows)}
    assert standings[keys[0]].median == 2 and standings[keys[0]].spread == 2
    assert standings[keys[1]].median == 4 and standings[keys[1]].spread == 3
    assert standings[keys[3]].median is None and standings[keys[3]].assessed == 0
    by_median = [s.domain_key for s in rank_by_median(standings.values())]
    assert by_median[0] == keys[1] and by_median[-1] == keys[3]
    by_spread = [s.domain_key for s in rank_by_spread(standings.values())]
    assert by_spread[:2] == [keys[1], keys[0]] and by_spread[-1] == keys[3]


def test_themes_group_by_wording_ignoring_case_and_spacing(ics):
    key = ics.domains[0].key
    raised = [
        RaisedTheme("A", key, "support", ThemeItem("Estates  advice.", ("Estates",))),
        RaisedTheme("B", key, "support", ThemeItem("estates advice", ("finance",))),
        RaisedTheme("B", key, "enabler", ThemeItem("Estates advice", ())),
        RaisedTheme("C", key, "support", ThemeItem("   ", ("x",))),
    ]
    groups = group_themes(ics, raised)
    assert [(g.kind, g.count, g.entities, g.tags) for g in groups] == [
        ("enabler", 1, ("B",), ()),
        ("support", 2, ("A", "B"), ("estates", "finance")),
    ]
    tags = {(t.tag, t.kind): t.count for t in tag_summaries(groups)}
    assert tags == {
        ("estates", "support"): 2,
        ("finance", "support"): 2,
        ("untagged", "enabler"): 1,
    }


@pytest.mark.parametrize(
    ("history", "want"),
    [
        ((1, 2), Direction.IMPROVING),
        ((3, None, 2), Direction.DETERIORATING),
        ((2, 2), Direction.NO_CHANGE),
        ((None, 2), None),
        ((), None),
    ],
)
def test_direction_of_travel(history, want):
    assert direction_of_travel(history) is want


def test_stage_names_for_medians(ics):
    assert stage_name(ics, 2.0) == "Developing"
    assert stage_name(ics, 2.5) == "Developing/Maturing"
    assert stage_name(ics, None) == "Not assessed"
