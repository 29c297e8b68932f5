"""Tests for the chart view-models and heatmap ordering helpers."""

from __future__ import annotations

import dataclasses

import pytest

from matrix_desktop.core.chart_models import (
    Heatmap,
    HeatmapRow,
    RadarSeries,
    ThresholdCaption,
    overall_maturity,
    radar_for,
    rows_by_group,
    rows_by_maturity,
)


def test_models_are_frozen_and_take_lists():
    series = RadarSeries("Self", [1, None, 3], [(1, 2), None, (2, 4)])  # type: ignore[arg-type]
    assert series.values == (1, None, 3) and series.band == ((1, 2), None, (2, 4))
    with pytest.raises(dataclasses.FrozenInstanceError):
        series.label = "Peer"  # type: ignore[misc]


def test_heatmap_mode_is_checked():
    with pytest.raises(ValueError):
        Heatmap("t", (), (), (), "colour")  # type: ignore[arg-type]


def test_ordering_helpers():
    rows = (
        HeatmapRow("sheffield", "Place", (4, 4)),
        HeatmapRow("Acute", "Collaborative", (1, None)),
        HeatmapRow("Barnsley", "Place", (2, 3)),
        HeatmapRow("New", "Place", (None, None)),
    )
    assert [r.label for r in rows_by_group(rows)] == ["Acute", "Barnsley", "New", "sheffield"]
    assert [r.label for r in rows_by_maturity(rows)] == ["sheffield", "Barnsley", "Acute", "New"]
    assert overall_maturity((1, None, 4)) == 2.5 and overall_maturity((None,)) is None


def test_radar_for_takes_rings_and_threshold_from_the_framework():
    from matrix_desktop.core.framework_file import read_framework_file
    from matrix_desktop.paths import frameworks_dir

    ics = read_framework_file(frameworks_dir() / "nhs_ics_maturity_matrix_2019.yaml")
    series = [RadarSeries("Self", [1, 2])]
    chart = radar_for(ics, iter(["A", "B"]), series, title="ICS")
    assert chart.title == "ICS" and chart.domains == ("A", "B")
    assert chart.stages == tuple(s.name for s in ics.stages)
    assert chart.series == tuple(series) and chart.threshold == ics.threshold_position
    assert chart.threshold_label == ics.threshold_label == "Maturing: minimum for ICS designation"
    captions = {c: radar_for(ics, (), (), caption=c).threshold_label for c in ThresholdCaption}
    assert captions == {
        ThresholdCaption.FRAMEWORK: "Maturing: minimum for ICS designation",
        ThresholdCaption.STAGE: "Maturing: threshold",
        ThresholdCaption.STAGE_AND_FRAMEWORK: "Maturing: minimum for ICS designation",
        ThresholdCaption.NONE: None,
    }
    plain = dataclasses.replace(ics, threshold_label="minimum for designation")
    chart = radar_for(plain, (), (), caption=ThresholdCaption.STAGE_AND_FRAMEWORK)
    assert chart.threshold_label == "Maturing: minimum for designation"
    no_threshold = dataclasses.replace(ics, threshold_stage=None, threshold_label=None)
    for caption in ThresholdCaption:
        chart = radar_for(no_threshold, (), (), caption=caption)
        assert chart.threshold is None and chart.threshold_label is None
