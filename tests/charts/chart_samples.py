"""Sample chart inputs shaped like the SYB Place Development Matrix, imported by the chart tests."""

from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from matrix_desktop.core.chart_models import RadarChart, RadarSeries

SYB_DOMAINS = (
    "Purpose and Vision",
    "Leadership",
    "Governance",
    "Co-ordinated decision making and service design",
    "Financial framework",
    "Workforce and culture",
    "Values and Behaviours",
    "Integration of Services",
    "Reporting, Quality and outcomes (contracting)",
    "Population health management",
    "BI and Digital Infrastructure",
    "Estates",
    "Clinical and professional leadership",
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
    """Return the text of every Text artist and every batched label in the figure."""
    from matplotlib.text import Text

    from matrix_desktop.charts.cached_text import LabelBatch

    texts = [t.get_text() for t in fig.findobj(Text) if t.get_text()]
    for batch in fig.findobj(LabelBatch):
        texts.extend(t for t in batch.get_texts() if t)
    return texts
