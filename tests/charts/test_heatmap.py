"""Tests for the heatmap builder: stage names in cells, difference mode, groups and bad input."""

from __future__ import annotations

from chart_samples import STAGES, SYB_DOMAINS, all_text, rendered

from matrix_desktop.charts.cell_labels import CellLabels
from matrix_desktop.charts.heatmap import NOT_ASSESSED_TEXT, build_heatmap
from matrix_desktop.core.chart_models import Heatmap, HeatmapRow


def cell_texts(fig) -> list[str]:
    (ax,) = fig.axes
    (cells,) = [a for a in ax.artists if isinstance(a, CellLabels)]
    return cells.labels


def test_every_cell_names_its_stage():
    rows = (
        HeatmapRow("Doncaster", "Place", (1, 2, 3, 4, None) + (2,) * 8),
        HeatmapRow("Rotherham", "Place", (4,) * 13),
    )
    fig = build_heatmap(Heatmap("Single view", SYB_DOMAINS, rows, STAGES))
    texts = cell_texts(fig)
    assert len(texts) == 26
    assert texts[:5] == ["Emerging", "Developing", "Maturing", "Thriving", NOT_ASSESSED_TEXT]
    assert texts[13:] == ["Thriving"] * 13
    (ax,) = fig.axes
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Doncaster", "Rotherham"]
    headers = [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()]
    assert headers == list(SYB_DOMAINS)


def test_difference_mode_writes_signed_steps():
    rows = (HeatmapRow("Doncaster", "Place", (1, -2, 0, None)),)
    fig = build_heatmap(Heatmap("Self minus peer", SYB_DOMAINS[:4], rows, STAGES, "difference"))
    assert cell_texts(fig) == ["+1", "\u22122", "0", NOT_ASSESSED_TEXT]


def test_cells_with_equal_values_share_a_colour_and_differ_from_others():
    rows = (HeatmapRow("a", "g", (1, 1, 4)),)
    fig = rendered(build_heatmap(Heatmap("t", SYB_DOMAINS[:3], rows, STAGES)))
    (image,) = fig.axes[0].images
    rgba = image.to_rgba(image.get_array())[0]
    assert (rgba[0] == rgba[1]).all() and not (rgba[0] == rgba[2]).all()


def test_group_names_are_shown_when_there_are_several():
    rows = (HeatmapRow("a", "Place", (1,)), HeatmapRow("b", "Provider collaborative", (2,)))
    texts = all_text(build_heatmap(Heatmap("t", ("D",), rows, STAGES)))
    assert "Place" in texts and "Provider collaborative" in texts


def test_bad_input_says_why():
    for heatmap, why in [
        (Heatmap("t", (), (HeatmapRow("a", "g", ()),), STAGES), "domains"),
        (Heatmap("t", SYB_DOMAINS, (), STAGES), "no assessments"),
        (Heatmap("t", SYB_DOMAINS, (HeatmapRow("a", "g", (1,)),), ()), "stages"),
    ]:
        texts = all_text(rendered(build_heatmap(heatmap)))
        assert any(t.startswith("nothing to show: ") and why in t for t in texts), texts


def test_fifty_entities_forty_domains_and_ragged_rows_render():
    domains = tuple(f"Domain {i}" for i in range(40))
    rows = tuple(HeatmapRow(f"Entity {i}", f"G{i % 3}", (1, 2, 9, -3)) for i in range(50))
    fig = rendered(build_heatmap(Heatmap("x" * 300, domains, rows, STAGES)))
    texts = cell_texts(fig)
    assert texts[:4] == ["Emerging", "Developing", "Thriving", "Emerging"]
    assert texts[4] == NOT_ASSESSED_TEXT


def test_cell_labels_are_pixels_on_png_and_text_in_svg(tmp_path):
    import io

    import numpy as np
    from PIL import Image

    from matrix_desktop.charts import export

    rows = (HeatmapRow("a", "g", (1, 4)),)
    fig = build_heatmap(Heatmap("t", SYB_DOMAINS[:2], rows, STAGES))
    svg = export.figure_to_svg(fig).decode()
    assert ">Emerging</text>" in svg and ">Thriving</text>" in svg
    blank = build_heatmap(Heatmap("t", SYB_DOMAINS[:2], rows, STAGES))
    blank.axes[0].artists[0].set_visible(False)
    with_labels = np.asarray(Image.open(io.BytesIO(export.figure_to_png(fig, 100))))
    without = np.asarray(Image.open(io.BytesIO(export.figure_to_png(blank, 100))))
    assert (with_labels != without).any()
