"""Tests for the heatmap builder: stage names in cells, difference mode, groups and bad input."""

from __future__ import annotations

from chart_samples import STAGES, SYB_DOMAINS, all_text, rendered

from matrix_desktop.charts import export
from matrix_desktop.charts.cached_text import LabelBatch
from matrix_desktop.charts.cell_labels import CellLabels
from matrix_desktop.charts.heatmap import NOT_ASSESSED_TEXT, build_heatmap
from matrix_desktop.core.chart_models import Heatmap, HeatmapRow


def labels(fig, gid: str) -> LabelBatch:
    (batch,) = fig.findobj(lambda a: a.get_gid() == gid)
    return batch


def labelled(fig, gid: str) -> list[str]:
    return [t.replace("\n", " ") for t in labels(fig, gid).get_texts()]


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
    assert labelled(fig, "row-labels") == ["Doncaster", "Rotherham"]
    assert labelled(fig, "column-labels") == list(SYB_DOMAINS)


def test_names_sit_beside_their_rows_and_above_their_columns():
    rows = tuple(HeatmapRow(f"Entity {i}", "Place", (1,) * 13) for i in range(3))
    fig = rendered(build_heatmap(Heatmap("t", SYB_DOMAINS, rows, STAGES)))
    (ax,) = fig.axes
    assert not ax.axison  # no Tick objects behind the labels
    cells = ax.get_window_extent()
    for i, box in enumerate(labels(fig, "row-labels").label_extents()):
        row_y = ax.transData.transform((0, i))[1]
        assert box.x1 < cells.x0 and box.y0 < row_y < box.y1
        assert box.x0 > 0
    headers = labels(fig, "column-labels").label_extents()
    assert len(headers) == 13
    for c, box in enumerate(headers):
        column_x = ax.transData.transform((c, 0))[0]
        assert box.y0 > cells.y1 and box.x0 < column_x < box.x1
        assert fig.bbox.contains(box.x0, box.y1)
    for a, b in zip(headers, headers[1:], strict=False):
        assert a.x1 < b.x0  # wrapped so neighbours do not touch


def test_difference_mode_writes_signed_steps():
    rows = (HeatmapRow("Doncaster", "Place", (1, -2, 0, None)),)
    fig = build_heatmap(Heatmap("Self minus peer", SYB_DOMAINS[:4], rows, STAGES, "difference"))
    assert cell_texts(fig) == ["+1", "\u22122", "0", NOT_ASSESSED_TEXT]


def test_cells_with_equal_values_share_a_colour_and_differ_from_others():
    rows = (HeatmapRow("a", "g", (1, 1, 4)),)
    fig = rendered(build_heatmap(Heatmap("t", SYB_DOMAINS[:3], rows, STAGES)))
    (mesh,) = [c for c in fig.axes[0].collections if c.get_gid() == "cells"]
    rgba = mesh.to_rgba(mesh.get_array())[0]
    assert (rgba[0] == rgba[1]).all() and not (rgba[0] == rgba[2]).all()


def test_group_names_are_shown_when_there_are_several():
    rows = (HeatmapRow("a", "Place", (1,)), HeatmapRow("b", "Provider collaborative", (2,)))
    fig = build_heatmap(Heatmap("t", ("D",), rows, STAGES))
    texts = [t.replace("\n", " ") for t in all_text(fig)]
    assert "Place" in texts and "Provider collaborative" in texts
    svg = export.figure_to_svg(fig).decode()
    # real text when exported
    assert ">Place</text>" in svg and ">Provider collaborative</text>" in svg


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

    rows = (HeatmapRow("a", "g", (1, 4)),)
    fig = build_heatmap(Heatmap("t", SYB_DOMAINS[:2], rows, STAGES))
    svg = export.figure_to_svg(fig).decode()
    assert ">Emerging</text>" in svg and ">Thriving</text>" in svg
    blank = build_heatmap(Heatmap("t", SYB_DOMAINS[:2], rows, STAGES))
    blank.axes[0].artists[0].set_visible(False)
    with_labels = np.asarray(Image.open(io.BytesIO(export.figure_to_png(fig, 100))))
    without = np.asarray(Image.open(io.BytesIO(export.figure_to_png(blank, 100))))
    assert (with_labels != without).any()


def _row_boxes(fig):
    return labels(fig, "row-labels").label_extents()


def test_two_rounds_of_one_place_have_whole_distinct_row_names():
    # The compare screen's rows when one place is ticked in two rounds beside another place.
    names = [
        "Barnsley Place Partnership, 2020/21 Q4",
        "Barnsley Place Partnership, 2021/22 Q2",
        "Doncaster Place Partnership, 2021/22 Q2",
        "System Children\u2019s and Young People Collaborative, 2021/22 Q2 (peer review)",
    ]
    rows = tuple(HeatmapRow(n, "Place", (1,) * 13) for n in names)
    fig = rendered(build_heatmap(Heatmap("Comparison", SYB_DOMAINS, rows, STAGES)))
    shown = labels(fig, "row-labels").get_texts()
    assert not any("\u2026" in t for t in shown)
    assert [t.replace("\n", " ") for t in shown] == names  # whole, so each row is told apart
    assert len(set(shown)) == len(names)
    (ax,) = fig.axes
    cells = ax.get_window_extent()
    boxes = _row_boxes(fig)
    for i, box in enumerate(boxes):
        row_y = ax.transData.transform((0, i))[1]
        assert 0 <= box.x0 and box.x1 < cells.x0  # inside the figure, left of the cells
        assert box.y0 < row_y < box.y1
        row_h = abs(ax.transData.transform((0, 1))[1] - ax.transData.transform((0, 0))[1])
        assert box.height <= row_h  # a wrapped name stays within its own row
    for a, b in zip(boxes, boxes[1:], strict=False):
        assert a.y0 >= b.y1 or b.y0 >= a.y1  # rows do not run into each other


def test_a_very_long_row_name_widens_its_column_rather_than_losing_its_end():
    name = "An entity with a remarkably long name that goes on and on, 2021/22 Q2 " * 3
    rows = (HeatmapRow(name, "Place", (1, 2)), HeatmapRow("Short", "Place", (2, 3)))
    fig = rendered(build_heatmap(Heatmap("t", SYB_DOMAINS[:2], rows, STAGES)))
    shown = labels(fig, "row-labels").get_texts()
    assert shown[0].replace("\n", " ") == " ".join(name.split())
    assert all(b.x0 >= 0 for b in _row_boxes(fig))
