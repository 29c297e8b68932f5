"""Tests for cached text: same pixels and extents as Text on Agg, real text in SVG, cache reuse."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from matrix_desktop.charts import cached_text, export
from matrix_desktop.charts.cached_text import CachedText, LabelBatch, adopt

SPECS = [
    (
        (0.1, 0.2),
        "Co-ordinated decision\nmaking and service\ndesign",
        {"ha": "left", "va": "bottom", "fontsize": 8.5, "linespacing": 1.15},
    ),
    (
        (0.5, 0.5),
        "Leadership",
        {
            "ha": "center",
            "va": "center",
            "fontsize": 9,
            "color": "#444444",
            "bbox": {"facecolor": "#ffeeee", "edgecolor": "none"},
        },
    ),
    (
        (0.9, 0.8),
        "Reporting, Quality\nand outcomes",
        {
            "ha": "right",
            "va": "top",
            "fontsize": 7.5,
            "fontweight": "bold",
            "alpha": 0.6,
            "color": "C0",
            "multialignment": "center",
        },
    ),
]


def figure_with(cls) -> Figure:
    fig = Figure(figsize=(4, 3), dpi=100, facecolor="white")
    for (x, y), text, props in SPECS:
        fig.add_artist(cls(x, y, text, **props))
    return fig


def pixels(fig: Figure) -> np.ndarray:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].astype(int)


def assert_same_ink(plain: np.ndarray, cached: np.ndarray) -> None:
    ink_plain, ink_cached = (255 * 3 - plain.sum(-1)), (255 * 3 - cached.sum(-1))
    assert ink_cached.sum() == pytest.approx(ink_plain.sum(), rel=0.02)
    # ink in the same places, at most a pixel of rounding apart
    for axis in (0, 1):
        a, b = ink_plain.sum(axis=axis), ink_cached.sum(axis=axis)
        best = min(np.abs(a - np.roll(b, shift)).sum() for shift in (-1, 0, 1))
        assert best <= 0.35 * a.sum()


def test_agg_pixels_match_ordinary_text():
    assert_same_ink(pixels(figure_with(Text)), pixels(figure_with(CachedText)))


def test_extents_match_ordinary_text():
    plain, cached = figure_with(Text), figure_with(CachedText)
    renderer = FigureCanvasAgg(plain).get_renderer()
    cached_renderer = FigureCanvasAgg(cached).get_renderer()
    assert len(plain.artists) == len(SPECS)
    for a, b in zip(plain.artists, cached.artists, strict=True):
        assert np.allclose(
            a.get_window_extent(renderer).extents, b.get_window_extent(cached_renderer).extents
        )


def test_svg_keeps_real_text():
    fig = figure_with(CachedText)
    fig.add_artist(
        LabelBatch(
            [0.2, 0.6],
            [0.9, 0.9],
            ["Place", "Provider\ncollaborative"],
            fontsize=8,
            transform=fig.transFigure,
        )
    )
    svg = export.figure_to_svg(fig).decode()
    for word in ("Leadership", "and outcomes", "Place", "collaborative"):
        assert f">{word}</text>" in svg


def test_a_second_figure_reuses_measurements_and_bitmaps(monkeypatch):
    pixels(figure_with(CachedText))
    calls = []
    for name in ("draw_text", "get_text_width_height_descent"):
        real = getattr(RendererAgg, name)
        monkeypatch.setattr(
            RendererAgg,
            name,
            lambda self, *a, _real=real, _name=name, **k: (
                calls.append(_name),
                _real(self, *a, **k),
            )[1],
        )
    pixels(figure_with(CachedText))
    assert calls == []


def test_label_batch_extents_and_pixels_match_texts():
    xs, ys, labels = [0.2, 0.5, 0.8], [0.3, 0.5, 0.7], ["Entity 1", "Group\nname", "Estates"]
    texts = Figure(figsize=(4, 3), dpi=100, facecolor="white")
    for x, y, label in zip(xs, ys, labels, strict=True):
        texts.add_artist(Text(x, y, label, fontsize=8, ha="right", va="center"))
    batch = Figure(figsize=(4, 3), dpi=100, facecolor="white")
    artist = LabelBatch(
        xs, ys, labels, fontsize=8, ha="right", va="center", transform=batch.transFigure
    )
    batch.add_artist(artist)
    renderer = FigureCanvasAgg(texts).get_renderer()
    for text, box in zip(texts.artists, artist.label_extents(), strict=True):
        assert np.allclose(text.get_window_extent(renderer).extents, box.extents, atol=1)
    assert_same_ink(pixels(texts), pixels(batch))


def test_adopt_turns_plain_text_into_cached_text_only():
    text = Text(0, 0, "x")
    assert type(adopt(text)) is CachedText
    other = type("Other", (Text,), {})(0, 0, "y")
    assert type(adopt(other)) is not CachedText  # subclasses keep their own drawing


def test_layout_is_cached_per_label():
    key = cached_text.font_key(Text(0, 0, "").get_fontproperties())
    first = cached_text.layout("Estates", key, 100.0, 1.2, "left", "baseline", None)
    assert cached_text.layout("Estates", key, 100.0, 1.2, "left", "baseline", None) is first
    assert cached_text.layout("Estates", key, 200.0, 1.2, "left", "baseline", None) is not first
