"""One entry point for every chart view-model: the model in, its matplotlib Figure out."""

from __future__ import annotations

from matplotlib.figure import Figure

from matrix_desktop.core.chart_models import (
    Heatmap,
    RadarChart,
    StageComparison,
    Trend,
    VoteSpread,
)


def build_figure(model: object) -> Figure:
    """Return the Figure for a chart view-model (a tuple of radars: small multiples)."""
    from matrix_desktop.charts.compare import build_comparison
    from matrix_desktop.charts.heatmap import build_heatmap
    from matrix_desktop.charts.radar import build_radar
    from matrix_desktop.charts.small_multiples import build_small_multiples
    from matrix_desktop.charts.trend import build_trend
    from matrix_desktop.charts.votes import build_votes

    if isinstance(model, RadarChart):
        return build_radar(model)
    if isinstance(model, StageComparison):
        return build_comparison(model.chart)
    if isinstance(model, Heatmap):
        return build_heatmap(model)
    if isinstance(model, Trend):
        return build_trend(model)
    if isinstance(model, VoteSpread):
        return build_votes(model)
    if isinstance(model, tuple) and all(isinstance(m, RadarChart) for m in model):
        return build_small_multiples(model)
    raise TypeError(f"no chart for {type(model).__name__}")
