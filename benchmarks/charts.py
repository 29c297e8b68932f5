"""Chart timing: full radar render, blitted live radar update in Qt, and a 50x13 heatmap.

Run: QT_QPA_PLATFORM=offscreen python benchmarks/charts.py [--json] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402

from matrix_desktop.charts.heatmap import build_heatmap  # noqa: E402
from matrix_desktop.charts.radar import build_radar  # noqa: E402
from matrix_desktop.core.chart_models import (  # noqa: E402
    Heatmap,
    HeatmapRow,
    RadarChart,
    RadarSeries,
)
from matrix_desktop.core.framework_file import read_framework_file  # noqa: E402
from matrix_desktop.paths import frameworks_dir  # noqa: E402

# The 13 published SYB key areas: the longest titles any bundled matrix has.
DOMAINS = tuple(
    d.title
    for d in read_framework_file(
        frameworks_dir() / "syb_place_development_matrix_v1_4.yaml"
    ).domains
)
STAGES = ("Emerging", "Developing", "Maturing", "Thriving")


def radar_chart() -> RadarChart:
    """Return a 13-domain, 3-series radar with a threshold and a spread band."""
    series = tuple(
        RadarSeries(
            f"Series {s}",
            tuple(float(1 + (d + s) % 4) for d in range(13)),
            tuple((1.0, 3.0) for _ in range(13)) if s == 0 else None,
        )
        for s in range(3)
    )
    return RadarChart("Doncaster place", DOMAINS, STAGES, series, 3, "Maturing: minimum")


def heatmap() -> Heatmap:
    """Return 50 entities by 13 domains, some not assessed."""
    rows = tuple(
        HeatmapRow(
            f"Entity {e}",
            f"Group {e % 4}",
            tuple(None if (e + d) % 11 == 0 else 1 + (e * d) % 4 for d in range(13)),
        )
        for e in range(50)
    )
    return Heatmap("Single view", DOMAINS, rows, STAGES)


def median_ms(action: Callable[[], object], runs: int) -> float:
    """Return the median wall time of action in milliseconds, after one warm-up run."""
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times)


def full_radar(chart: RadarChart) -> None:
    FigureCanvasAgg(build_radar(chart)).draw()


def full_heatmap(data: Heatmap) -> None:
    FigureCanvasAgg(build_heatmap(data)).draw()


def live_update(runs: int) -> float:
    """Return the median ms of RadarView.update_series in a real offscreen FigureCanvasQTAgg."""
    from PySide6.QtWidgets import QApplication

    from matrix_desktop.ui.chart_canvas import RadarView

    app = QApplication.instance() or QApplication([])
    view = RadarView()
    view.resize(900, 900)
    view.show()
    app.processEvents()
    view.set_chart(radar_chart())
    app.processEvents()
    step = [0]

    def update() -> None:
        step[0] += 1
        values = tuple(float(1 + (d + step[0]) % 4) for d in range(13))
        view.update_series(0, values, tuple((1.0, v) for v in values))
        app.processEvents()

    result = median_ms(update, runs)
    view.close()
    return result


def figure(name: str, value: float, unit: str, target: float) -> dict[str, object]:
    return {
        "name": name,
        "value": round(value, 2),
        "unit": unit,
        "target": target,
        "ok": value <= target,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object last")
    parser.add_argument("--runs", type=int, default=15, help="timed runs per figure (min 15)")
    args = parser.parse_args(argv)
    runs = max(args.runs, 15)

    chart = radar_chart()
    full = median_ms(lambda: full_radar(chart), runs)
    live = live_update(runs)
    grid = heatmap()
    heat = median_ms(lambda: full_heatmap(grid), runs)
    figures = [
        figure("radar full render (13 domains, 3 series)", full, "ms", 60),
        figure("radar live update (blit, Qt offscreen)", live, "ms", 16),
        figure("radar live update / full render", live / full, "ratio", 0.3),
        figure("heatmap render (50 entities x 13 domains)", heat, "ms", 150),
    ]
    if args.json:
        print(json.dumps({"figures": figures}))
    else:
        print(f"{'figure':48} {'median':>10} {'target':>8}  ok")
        for f in figures:
            print(
                f"{f['name']:48} {f['value']:>8} {f['unit']:<2} {f['target']:>6}  "
                f"{'yes' if f['ok'] else 'NO'}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
