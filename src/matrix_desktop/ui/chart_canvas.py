"""Qt widgets showing chart Figures: a ChartView, and a RadarView with blitted live updates."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from matplotlib.artist import Artist
from matplotlib.backend_bases import DrawEvent, MouseEvent, ResizeEvent
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QCursor, QGuiApplication, QImage
from PySide6.QtWidgets import QMenu, QScrollArea, QToolTip, QVBoxLayout, QWidget

from matrix_desktop.charts import export, radar, style
from matrix_desktop.core.chart_models import Band, RadarChart, StageValue
from matrix_desktop.core.chart_text import describe_radar

PNG_FILTER = "PNG image (*.png)"
SVG_FILTER = "SVG drawing (*.svg)"


class ChartView(QWidget):
    """Shows one chart Figure, with a context menu to save it as PNG or SVG or copy it."""

    def __init__(
        self, parent: QWidget | None = None, *, fit_to_widget: bool = False, name: str = "Chart"
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.export_dpi = export.DEFAULT_DPI
        self._fit = fit_to_widget
        self._figure = style.new_figure(6, 4)
        self._canvas = self._make_canvas(self._figure)
        self._scroll = QScrollArea(self)
        self._scroll.setAccessibleName(f"{name} scroll area")
        self._scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the canvas is the one Tab stop
        self._scroll.setWidgetResizable(fit_to_widget)
        self._scroll.setWidget(self._canvas)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._scroll)

    # -- the figure ---------------------------------------------------------------------------

    @property
    def figure(self) -> Figure:
        """The Figure currently shown."""
        return self._figure

    @property
    def canvas(self) -> FigureCanvasQTAgg:
        """The matplotlib canvas widget."""
        return self._canvas

    def set_figure(self, figure: Figure, description: str = "") -> None:
        """Show a Figure built by one of the chart builders (at its natural size unless fitting).

        description: the chart's values as text (core.chart_text), what a screen reader says.
        """
        self._figure = figure
        old = self._scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self._canvas = self._make_canvas(figure)
        self._scroll.setWidget(self._canvas)
        title = figure.get_suptitle() if hasattr(figure, "get_suptitle") else ""
        self.set_description(description or title)
        self._canvas.draw_idle()

    def set_description(self, text: str) -> None:
        """Give the chart's text alternative to the canvas (the Tab stop) and the view."""
        self._canvas.setAccessibleDescription(text)
        self.setAccessibleDescription(text)

    def _make_canvas(self, figure: Figure) -> FigureCanvasQTAgg:
        canvas = FigureCanvasQTAgg(figure)
        canvas.setAccessibleName(self.accessibleName())
        canvas.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        canvas.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        canvas.customContextMenuRequested.connect(self._on_canvas_customContextMenuRequested)
        if not self._fit:
            width, height = figure.get_size_inches() * figure.dpi
            canvas.setFixedSize(
                int(width / canvas.device_pixel_ratio), int(height / canvas.device_pixel_ratio)
            )
        return canvas

    # -- export -------------------------------------------------------------------------------

    def save_png(self, path: str | Path, dpi: int | None = None) -> Path:
        """Write the chart as a PNG file at dpi (default: export_dpi) and return the path."""
        return export.save_png(self._figure, path, dpi or self.export_dpi)

    def save_svg(self, path: str | Path) -> Path:
        """Write the chart as an SVG file (text kept as text) and return the path."""
        return export.save_svg(self._figure, path)

    def copy_to_clipboard(self) -> QImage:
        """Put the chart on the clipboard as an image and return that image."""
        image = QImage.fromData(export.clipboard_png(self._figure))
        QGuiApplication.clipboard().setImage(image)
        return image

    def ask_save_path(self, caption: str, file_filter: str, suffix: str) -> Path | None:
        """Ask where to save (the one prompt here; tests replace it)."""
        from matrix_desktop.ui.interaction import interaction

        name = interaction.save_file(self, caption, f"chart{suffix}", file_filter)
        if not name:
            return None
        path = Path(name)
        return path if path.suffix else path.with_suffix(suffix)

    def ask_dpi(self) -> int | None:
        """Ask for the PNG's resolution (150 for screens and slides, 300 for print)."""
        from PySide6.QtWidgets import QInputDialog

        dpi, ok = QInputDialog.getInt(
            self,
            "PNG resolution",
            "Dots per inch (150 for slides, 300 for print):",
            self.export_dpi,
            36,
            1200,
            10,
        )
        return dpi if ok else None

    def save_png_interactively(self) -> Path | None:
        """Ask for a file name and a resolution, then save a PNG; None if cancelled."""
        path = self.ask_save_path("Save chart as PNG", PNG_FILTER, ".png")
        if not path:
            return None
        dpi = self.ask_dpi()
        return self.save_png(path, dpi) if dpi else None

    def save_svg_interactively(self) -> Path | None:
        """Ask for a file name, then save an SVG there; return the path or None if cancelled."""
        path = self.ask_save_path("Save chart as SVG", SVG_FILTER, ".svg")
        return self.save_svg(path) if path else None

    def context_menu(self) -> QMenu:
        """Return the chart's context menu (save as PNG/SVG, copy)."""
        menu = QMenu(self)
        menu.setAccessibleName("Chart actions")
        menu.addAction("Save as PNG\u2026", self.save_png_interactively)
        menu.addAction("Save as SVG\u2026", self.save_svg_interactively)
        menu.addAction("Copy to clipboard", self.copy_to_clipboard)
        return menu

    def _on_canvas_customContextMenuRequested(self, position: QPoint) -> None:
        self.context_menu().exec(self._canvas.mapToGlobal(position))


class RadarView(ChartView):
    """A radar that redraws fully on set_chart and blits one series on update_series."""

    def __init__(self, parent: QWidget | None = None, *, name: str = "Radar chart") -> None:
        super().__init__(parent, fit_to_widget=True, name=name)
        self._chart: RadarChart | None = None
        self._artists: radar.RadarArtists | None = None
        self._live: int | None = None  # the series drawn over a cached background
        self._domain_names: tuple[str, ...] | None = None  # for the text when axes are numbered
        self._background = None
        self.full_draws = 0  # counted so tests and benchmarks can see the fast path was taken
        self._connect_canvas()

    @property
    def chart(self) -> RadarChart | None:
        """The chart as currently drawn, including live updates."""
        return self._chart

    @property
    def artists(self) -> radar.RadarArtists | None:
        """Handles to the drawn artists."""
        return self._artists

    def set_figure(self, figure: Figure, description: str = "") -> None:
        """Not supported: a RadarView owns its figure; use set_chart."""
        raise TypeError("RadarView draws its own figure; call set_chart()")

    def set_chart(self, chart: RadarChart, domain_names: Sequence[str] | None = None) -> None:
        """Draw the whole radar for chart (a full, synchronous redraw).

        domain_names: the domains' full names, for the text alternative when the axes are
        labelled by number.
        """
        self._chart = chart
        self._domain_names = tuple(domain_names) if domain_names else None
        self._live = None
        self._background = None
        self._artists = radar.draw_radar(self._figure, chart)
        self.set_description(describe_radar(chart, self._domain_names))
        self._full_draw()

    def update_series(
        self, index: int, values: Sequence[StageValue], band: Sequence[Band] | None = None
    ) -> None:
        """Move one series to new values by blitting only its artists over a cached background."""
        if self._artists is None or self._chart is None:
            raise RuntimeError("set_chart() must be called before update_series()")
        radar.update_series(self._artists, index, values, band)
        old = self._chart.series[index]
        new = dataclasses.replace(
            old, values=tuple(values), band=tuple(band) if band is not None else old.band
        )
        series = list(self._chart.series)
        series[index] = new
        self._chart = dataclasses.replace(self._chart, series=tuple(series))
        self.set_description(describe_radar(self._chart, self._domain_names))
        if self._live != index:
            self._make_live(index)
        if self._background is None:
            self._full_draw()  # caches the background, then draws the live series
            return
        self._canvas.restore_region(self._background)
        for artist in self._live_artists():
            self._figure.draw_artist(artist)
        # Only the plot area changes, so only it is copied to the screen.
        axes = self._artists.axes
        self._canvas.blit(axes.bbox if axes is not None else self._figure.bbox)

    # -- blitting internals -------------------------------------------------------------------

    def _connect_canvas(self) -> None:
        self._canvas.mpl_connect("draw_event", self._on_canvas_draw)
        self._canvas.mpl_connect("resize_event", self._on_canvas_resize)
        self._canvas.mpl_connect("motion_notify_event", self._on_canvas_motion)

    def _live_artists(self) -> list[Artist]:
        if self._artists is None or self._live is None:
            return []
        band = self._artists.bands[self._live]
        line = self._artists.lines[self._live]
        return [band, line] if band is not None else [line]

    def _make_live(self, index: int) -> None:
        for artist in self._live_artists():
            artist.set_animated(False)
        self._live = index
        for artist in self._live_artists():
            artist.set_animated(True)
        self._background = None

    def _full_draw(self) -> None:
        self.full_draws += 1
        self._canvas.draw()

    def _on_canvas_draw(self, event: DrawEvent) -> None:
        # Every full draw (including the one after a resize) leaves out the animated live
        # series; cache that as the background, then paint the live series on top.
        self._background = self._canvas.copy_from_bbox(self._figure.bbox)
        for artist in self._live_artists():
            self._figure.draw_artist(artist)

    def _on_canvas_resize(self, event: ResizeEvent) -> None:
        self._background = None
        if self._artists is not None:
            radar.layout_radar(self._figure, self._artists)

    def label_at(self, x: float, y: float) -> str | None:
        """Return the full domain name whose label is at canvas pixel (x, y from the bottom)."""
        if self._artists is None or self._chart is None:
            return None
        for text, name in zip(self._artists.domain_labels, self._chart.domains, strict=False):
            if text.get_window_extent().contains(x, y):
                return name
        return None

    def _on_canvas_motion(self, event: MouseEvent) -> None:
        # Labels may be numbered and cut short to fit; hovering one names the domain in full.
        name = self.label_at(event.x, event.y) if event.x is not None else None
        if name:
            QToolTip.showText(QCursor.pos(), name, self._canvas)
        else:
            QToolTip.hideText()
