"""Tests for the report-side chart pieces: direct reportlab renderer, dot plot, small multiples."""

from __future__ import annotations

import numpy as np
import pytest
from chart_samples import SYB_DOMAINS, syb_radar

from matrix_desktop.charts.compare import build_comparison
from matrix_desktop.charts.radar import build_radar
from matrix_desktop.charts.reportlab_backend import UnsupportedFigure, VectorChart, figure_to_vector
from matrix_desktop.charts.small_multiples import build_small_multiples
from matrix_desktop.charts.style import new_figure


def test_radar_becomes_a_vector_chart_with_its_labels_as_text():
    fig = build_radar(syb_radar())
    chart = figure_to_vector(fig, 400)
    assert isinstance(chart, VectorChart)
    assert chart.width == pytest.approx(400)
    text = " ".join(chart.texts())
    for word in ("Leadership", "Governance", "Thriving"):
        assert word in text
    assert chart.fonts() <= {"DejaVuSans", "DejaVuSans-Bold"}


def test_a_figure_with_an_image_is_refused_for_the_svg_route():
    fig = new_figure(3, 3)
    fig.add_axes((0, 0, 1, 1)).imshow(np.zeros((3, 3)))
    with pytest.raises(UnsupportedFigure):
        figure_to_vector(fig)


def test_comparison_and_small_multiples_draw_every_domain_and_entity():
    chart = syb_radar()
    text = " ".join(figure_to_vector(build_comparison(chart)).texts())
    assert " ".join(SYB_DOMAINS[0].split()) in " ".join(text.split())
    many = build_small_multiples([chart] * 4)
    labels = figure_to_vector(many).texts()
    assert labels.count("13") == 4  # each small radar numbers its 13 axes
    assert build_small_multiples([]) is not None
