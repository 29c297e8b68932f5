"""Plain, frozen view-models that the chart builders draw: radar, heatmap, trend, vote spread.

A stage comparison is a radar's series drawn as a dot plot (easier to read in print).

Stage values are positions 1..N in the framework's stage order (1 = first stage, e.g.
Emerging); fractional values are allowed (a mean of views); ``None`` means "not yet assessed".
Lengths are deliberately not enforced against ``domains``: data arriving from older
framework versions or half-finished workshops may be ragged, and the charts pad missing
values as "not assessed" rather than refusing to draw.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Literal

from matrix_desktop.core.framework import Framework

StageValue = float | None
Band = tuple[float, float] | None
HeatmapMode = Literal["stage", "difference"]


def _tuple(values: Iterable[object] | None) -> tuple:
    return tuple(values) if values is not None else ()


@dataclass(frozen=True)
class RadarSeries:
    """One polygon on a radar: a place's self-assessment, a peer review, last round..."""

    label: str
    values: tuple[StageValue, ...]
    band: tuple[Band, ...] | None = None  # per domain (lowest, highest) participant view

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", _tuple(self.values))
        if self.band is not None:
            object.__setattr__(
                self, "band", tuple(None if b is None else (b[0], b[1]) for b in self.band)
            )


@dataclass(frozen=True)
class RadarChart:
    """A radar: one axis per domain, one ring per stage, series overlaid."""

    title: str
    domains: tuple[str, ...]
    stages: tuple[str, ...]
    series: tuple[RadarSeries, ...] = ()
    threshold: int | None = None  # stage position drawn as a distinct ring
    threshold_label: str | None = None  # e.g. "Maturing: minimum for ICS designation"

    def __post_init__(self) -> None:
        for name in ("domains", "stages", "series"):
            object.__setattr__(self, name, _tuple(getattr(self, name)))


class ThresholdCaption(Enum):
    """How a radar names its threshold ring (without a caption the charts draw a default)."""

    FRAMEWORK = "framework"  # the framework's own label, e.g. "Maturing: minimum for ..."
    STAGE = "stage"  # "<threshold stage>: threshold"
    STAGE_AND_FRAMEWORK = "stage and framework"  # "<stage>: <the framework's label>"
    NONE = "none"  # no caption of its own


def threshold_caption(framework: Framework, caption: ThresholdCaption) -> str | None:
    """Return the threshold ring's caption for a framework, or None (no threshold, no caption)."""
    if caption is ThresholdCaption.FRAMEWORK:
        return framework.threshold_label
    if caption is ThresholdCaption.NONE or not framework.threshold_stage:
        return None
    stage = framework.stage(framework.threshold_stage).name
    if caption is ThresholdCaption.STAGE:
        return f"{stage}: threshold"
    label = framework.threshold_label or "threshold"
    if label.casefold().startswith(f"{stage}:".casefold()):
        return label  # the framework's label already names the stage
    return f"{stage}: {label}"


def radar_for(
    framework: Framework,
    axes: Iterable[str],
    series: Iterable[RadarSeries],
    *,
    title: str = "",
    caption: ThresholdCaption = ThresholdCaption.FRAMEWORK,
) -> RadarChart:
    """Return a radar of a framework's stages: one axis per label in axes, series overlaid.

    The rings are the framework's stages and its threshold stage (if any) is drawn as a ring,
    captioned as caption says. Every radar the app draws is made here.
    """
    return RadarChart(
        title=title,
        domains=tuple(axes),
        stages=tuple(s.name for s in framework.stages),
        series=tuple(series),
        threshold=framework.threshold_position,
        threshold_label=threshold_caption(framework, caption),
    )


@dataclass(frozen=True)
class StageComparison:
    """The radar's series drawn as a dot plot, one row per domain (easier to read in print)."""

    chart: RadarChart


@dataclass(frozen=True)
class HeatmapRow:
    """One entity's line in the heatmap (a place or a provider collaborative)."""

    label: str
    group: str
    values: tuple[StageValue, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", _tuple(self.values))


@dataclass(frozen=True)
class Heatmap:
    """Entities by domains; ``mode="difference"`` holds self minus peer in stage steps."""

    title: str
    domains: tuple[str, ...]
    rows: tuple[HeatmapRow, ...]
    stages: tuple[str, ...]
    mode: HeatmapMode = "stage"

    def __post_init__(self) -> None:
        if self.mode not in ("stage", "difference"):
            raise ValueError(f"heatmap mode must be 'stage' or 'difference', not {self.mode!r}")
        for name in ("domains", "rows", "stages"):
            object.__setattr__(self, name, _tuple(getattr(self, name)))


@dataclass(frozen=True)
class Trend:
    """Each domain's stage over assessment rounds: ``values[domain][round]``."""

    title: str
    rounds: tuple[str, ...]
    domains: tuple[str, ...]
    stages: tuple[str, ...]
    values: tuple[tuple[StageValue, ...], ...]

    def __post_init__(self) -> None:
        for name in ("rounds", "domains", "stages"):
            object.__setattr__(self, name, _tuple(getattr(self, name)))
        object.__setattr__(self, "values", tuple(_tuple(v) for v in _tuple(self.values)))


@dataclass(frozen=True)
class VoteSpread:
    """Workshop votes: ``counts[domain][stage]`` participants, ``agreed[domain]`` stage 1..N."""

    title: str
    domains: tuple[str, ...]
    stages: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]
    agreed: tuple[int | None, ...]

    def __post_init__(self) -> None:
        for name in ("domains", "stages", "agreed"):
            object.__setattr__(self, name, _tuple(getattr(self, name)))
        object.__setattr__(self, "counts", tuple(_tuple(c) for c in _tuple(self.counts)))


def overall_maturity(values: Sequence[StageValue]) -> float | None:
    """Return the mean of the assessed values, or None when nothing is assessed."""
    assessed = [v for v in values if v is not None]
    return sum(assessed) / len(assessed) if assessed else None


def rows_by_group(rows: Iterable[HeatmapRow]) -> tuple[HeatmapRow, ...]:
    """Return the rows ordered by group, then by label (case-insensitive)."""
    return tuple(sorted(rows, key=lambda r: (r.group.casefold(), r.label.casefold())))


def rows_by_maturity(rows: Iterable[HeatmapRow]) -> tuple[HeatmapRow, ...]:
    """Return the rows most mature first (mean of assessed values); unassessed rows last."""

    def key(row: HeatmapRow) -> tuple[bool, float, str]:
        mean = overall_maturity(row.values)
        return (mean is None, -(mean or 0.0), row.label.casefold())

    return tuple(sorted(rows, key=key))
