"""Charts written out as text for screen readers: every value the chart draws, by domain."""

from __future__ import annotations

from matrix_desktop.core.chart_models import (
    Heatmap,
    HeatmapRow,
    RadarChart,
    RadarSeries,
    Trend,
    VoteSpread,
)
from matrix_desktop.core.chart_text import (
    describe_heatmap,
    describe_radar,
    describe_trend,
    describe_votes,
    stage_text,
)

STAGES = ("Emerging", "Developing", "Maturing", "Thriving")


def test_stage_positions_read_as_stage_names():
    assert stage_text(2.0, STAGES) == "Developing"
    assert stage_text(None, STAGES) == "not assessed"
    assert stage_text(2.5, STAGES) == "2.5 (between Developing and Maturing)"
    assert stage_text(float("nan"), STAGES) == "not assessed"


def test_a_radar_reads_each_domain_with_the_other_series_in_brackets():
    chart = RadarChart(
        "",
        ("1", "2", "3"),
        STAGES,
        (
            RadarSeries("This assessment (agreed)", (2.0, None, 3.0), ((1.0, 2.0), None, (3, 3))),
            RadarSeries("Previous round", (1.0, 1.0)),
        ),
        threshold_label="Maturing: minimum for designation",
    )
    text = describe_radar(chart, ["1. Purpose", "2. Leadership", "3. Governance"])
    assert text.startswith(
        "This assessment (agreed), with Previous round in brackets, and the range of the "
        "room's views. Threshold: Maturing: minimum for designation. "
    )
    assert (
        "1. Purpose: Developing (Previous round: Emerging; views from Emerging to Developing)"
        in text
    )
    assert "2. Leadership: not assessed (Previous round: Emerging)" in text
    assert "3. Governance: Maturing (Previous round: not assessed; views Maturing)" in text


def test_a_heatmap_reads_row_by_row_in_stages_or_differences():
    rows = (HeatmapRow("Doncaster", "Place", (1, 4)), HeatmapRow("Sheffield", "Place", (None,)))
    text = describe_heatmap(Heatmap("Single view", ("Leadership", "Estates"), rows, STAGES))
    assert text == (
        "Single view: stage by domain. Doncaster (Place): Leadership: Emerging, Estates: "
        "Thriving; Sheffield (Place): Leadership: not assessed, Estates: not assessed."
    )
    diff = Heatmap(
        "Self minus peer",
        ("Leadership",),
        (HeatmapRow("Doncaster", "", (-1,)),),
        STAGES,
        "difference",
    )
    assert describe_heatmap(diff).endswith("Doncaster: Leadership: \u22121.")


def test_a_trend_reads_each_domain_round_by_round():
    trend = Trend("Doncaster: progress", ("2020/21", "2021/22"), ("Leadership",), STAGES, ((1, 2),))
    assert describe_trend(trend) == (
        "Doncaster: progress: stage by round. Leadership: 2020/21 Emerging, 2021/22 Developing."
    )


def test_a_vote_spread_reads_the_views_and_the_stage_agreed():
    spread = VoteSpread("Views", ("Leadership",), STAGES, ((0, 3, 1, 0),), (2,))
    assert describe_votes(spread) == (
        "Views: views per stage. Leadership: 3 Developing, 1 Maturing, agreed Developing."
    )
