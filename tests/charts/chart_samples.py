"""Sample chart inputs shaped like the SYB Place Development Matrix, imported by the chart tests."""

from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from matrix_desktop.core.chart_models import RadarChart, RadarSeries
from matrix_desktop.core.framework_file import read_framework_file
from matrix_desktop.paths import frameworks_dir

# The published SYB v1-4 key areas, read from the bundled framework (one source of truth).
SYB_DOMAINS = tuple(
    d.title
    for d in read_framework_file(
        frameworks_dir() / "syb_place_development_matrix_v1_4.yaml"
    ).domains
)
STAGES = ("Emerging", "Developing", "Maturing", "Thriving")
THRESHOLD_LABEL = "Maturing: minimum for ICS designation"


def syb_radar(series_count: int = 3) -> RadarChart:
    """Return a 13-domain radar with a threshold, one banded series and one with a gap."""
    series = []
    for s in range(series_count):
        values: list[float | None] = [float(1 + (d + s) % 4) for d in range(13)]
        if s == 1:
            values[4] = None  # peer has not assessed Financial framework
        band = tuple((1.0, 3.0) for _ in range(13)) if s == 0 else None
        series.append(RadarSeries(f"Series {s}", tuple(values), band))
    return RadarChart("Doncaster place", SYB_DOMAINS, STAGES, tuple(series), 3, THRESHOLD_LABEL)


def rendered(fig: Figure) -> Figure:
    """Draw fig on an Agg canvas (so text extents exist) and return it."""
    FigureCanvasAgg(fig).draw()
    return fig


def all_text(fig: Figure) -> list[str]:
    """Return the text of every Text artist, batched label, key entry and tick label in a figure."""
    from matplotlib.text import Text

    from matrix_desktop.charts.axis_ticks import XTicks
    from matrix_desktop.charts.cached_text import LabelBatch
    from matrix_desktop.charts.key_row import KeyRow

    texts = [t.get_text() for t in fig.findobj(Text) if t.get_text()]
    for batch in fig.findobj(lambda a: isinstance(a, LabelBatch | KeyRow | XTicks)):
        texts.extend(t for t in batch.get_texts() if t)
    return texts


def band_polygons(band) -> list:  # type: ignore[no-untyped-def]
    """Return each sector of a radar's spread band as an (angle, stage) polygon, as drawn."""
    return band.get_path().to_polygons(closed_only=False)
