"""Tests for the chart view-models and heatmap ordering helpers."""

from __future__ import annotations

import dataclasses

import pytest

from matrix_desktop.core.chart_models import (
    Heatmap,
    HeatmapRow,
    RadarSeries,
    overall_maturity,
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
