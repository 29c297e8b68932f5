"""Charts as text: the values a chart draws, written out for screen readers (the same table)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from matrix_desktop.core.chart_models import (
    Heatmap,
    RadarChart,
    StageValue,
    Trend,
    VoteSpread,
)

NOT_ASSESSED = "not assessed"
MINUS = "\u2212"


def stage_text(value: StageValue, stages: Sequence[str]) -> str:
    """Return a 1..N stage position in words: "Developing", "2.5 (between ...)", "not assessed"."""
    if value is None or not math.isfinite(value) or not stages:
        return NOT_ASSESSED
    whole = round(value)
    if abs(value - whole) < 1e-9 and 1 <= whole <= len(stages):
        return stages[whole - 1]
    low = min(max(math.floor(value), 1), len(stages))
    high = min(low + 1, len(stages))
    return f"{value:.1f} (between {stages[low - 1]} and {stages[high - 1]})"


def _at(values: Sequence[StageValue], i: int) -> StageValue:
    return values[i] if i < len(values) else None


def _signed(value: StageValue) -> str:
    if value is None or not math.isfinite(value):
        return NOT_ASSESSED
    rounded = round(value, 1)
    text = f"{abs(rounded):g}"
    return "+" + text if rounded > 0 else MINUS + text if rounded < 0 else "0"


def _head(title: str, what: str) -> str:
    return f"{title}: {what}" if title else what


def describe_radar(chart: RadarChart, domain_names: Sequence[str] | None = None) -> str:
    """Return each domain's stage in the first series, the other series in brackets.

    domain_names: full names for the axes when the chart is labelled by number.
    E.g. "This assessment (agreed), with Previous round in brackets. 1. Leadership:
    Developing (Previous round: Emerging); ..."
    """
    names = list(domain_names) if domain_names else list(chart.domains)
    names += list(chart.domains[len(names) :])
    if not chart.series:
        return _head(chart.title, "radar with no values") + "."
    first, others = chart.series[0], chart.series[1:]
    legend = first.label
    if others:
        legend += ", with " + " and ".join(s.label for s in others) + " in brackets"
    if first.band is not None:
        legend += ", and the range of the room's views"
    parts = []
    for i, name in enumerate(names):
        extra = [f"{s.label}: {stage_text(_at(s.values, i), chart.stages)}" for s in others]
        band = first.band[i] if first.band is not None and i < len(first.band) else None
        if band is not None:
            low, high = (stage_text(v, chart.stages) for v in band)
            extra.append(f"views {low}" if low == high else f"views from {low} to {high}")
        text = f"{name}: {stage_text(_at(first.values, i), chart.stages)}"
        parts.append(text + (f" ({'; '.join(extra)})" if extra else ""))
    threshold = f" Threshold: {chart.threshold_label}." if chart.threshold_label else ""
    return f"{_head(chart.title, legend)}.{threshold} " + "; ".join(parts) + "."


def describe_heatmap(heatmap: Heatmap) -> str:
    """Return each row's value per domain: stages, or self minus peer in stage steps."""
    if heatmap.mode == "difference":
        what = "self-assessment minus peer review, in stages, by domain"

        def cell(v: StageValue) -> str:
            return _signed(v)
    else:
        what = "stage by domain"

        def cell(v: StageValue) -> str:
            return stage_text(v, heatmap.stages)

    rows = []
    for row in heatmap.rows:
        values = ", ".join(
            f"{d}: {cell(_at(row.values, i))}" for i, d in enumerate(heatmap.domains)
        )
        group = f" ({row.group})" if row.group else ""
        rows.append(f"{row.label}{group}: {values}")
    if not rows:
        return _head(heatmap.title, "no rows") + "."
    return f"{_head(heatmap.title, what)}. " + "; ".join(rows) + "."


def describe_trend(trend: Trend) -> str:
    """Return each domain's stage in every round, oldest first."""
    parts = []
    for i, domain in enumerate(trend.domains):
        row = trend.values[i] if i < len(trend.values) else ()
        by_round = ", ".join(
            f"{r} {stage_text(_at(row, j), trend.stages)}" for j, r in enumerate(trend.rounds)
        )
        parts.append(f"{domain}: {by_round}")
    if not parts:
        return _head(trend.title, "no domains") + "."
    return f"{_head(trend.title, 'stage by round')}. " + "; ".join(parts) + "."


def describe_votes(spread: VoteSpread) -> str:
    """Return, per domain, how many chose each stage and the stage agreed."""
    parts = []
    for i, domain in enumerate(spread.domains):
        counts = spread.counts[i] if i < len(spread.counts) else ()
        chosen = ", ".join(
            f"{counts[j]} {stage}"
            for j, stage in enumerate(spread.stages)
            if j < len(counts) and counts[j]
        )
        agreed = _at(spread.agreed, i)
        parts.append(
            f"{domain}: {chosen or 'no views'}, agreed {stage_text(agreed, spread.stages)}"
        )
    if not parts:
        return _head(spread.title, "no domains") + "."
    return f"{_head(spread.title, 'views per stage')}. " + "; ".join(parts) + "."
