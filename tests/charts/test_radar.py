"""Tests for the radar builder: rings, threshold, gaps, bands, legend, labels and bad input."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from chart_samples import STAGES, SYB_DOMAINS, THRESHOLD_LABEL, all_text, rendered, syb_radar

from matrix_desktop.charts import radar
from matrix_desktop.core.chart_models import RadarChart, RadarSeries


def legend_texts(fig) -> list[str]:
    (legend,) = fig.legends
    return [t.get_text().replace("\n", " ") for t in legend.get_texts()]


def ring_radii(artists) -> list[float]:
    return [float(np.hypot(*seg.T).mean()) for seg in artists.rings.get_segments()]


def test_one_round_axes_with_a_named_ring_per_stage(radar_chart):
    fig = rendered(radar.build_radar(radar_chart))
    assert len(fig.axes) == 1
    artists = radar.draw_radar(radar.style.new_figure(9, 9), radar_chart)
    assert ring_radii(artists) == pytest.approx([1, 2, 3, 4])
    for seg in artists.rings.get_segments():  # closed circles, not polygons
        assert np.allclose(np.hypot(*seg.T), np.hypot(*seg.T)[0]) and len(seg) > 100
        assert np.allclose(seg[0], seg[-1])
    labels = [t for t in fig.findobj(lambda a: str(a.get_gid()).startswith("ring-label-"))]
    assert [t.get_text() for t in labels] == list(STAGES)
    # each stage name sits on its own ring
    ax = fig.axes[0]
    centre = ax.transData.transform((0, 0))
    for radius, label in zip([1, 2, 3, 4], labels, strict=True):
        box = label.get_window_extent()
        mid = np.array([(box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2])
        per_stage = ax.transData.transform((0, 1))[1] - centre[1]
        assert np.hypot(*(mid - centre)) / per_stage == pytest.approx(radius, abs=0.05)
    spokes = artists.spokes.get_segments()
    assert len(spokes) == len(SYB_DOMAINS)
    assert all(np.hypot(*seg[-1]) == pytest.approx(4.0) for seg in spokes)
    assert not ax.axison  # no tick machinery behind the grid


def test_threshold_ring_is_a_full_circle_named_in_legend(radar_chart):
    fig = radar.build_radar(radar_chart)
    ring = next(a for a in fig.axes[0].lines if a.get_gid() == "threshold-ring")
    assert np.allclose(ring.get_ydata(), 3.0)
    assert ring.get_xdata()[-1] == pytest.approx(2 * math.pi)
    assert THRESHOLD_LABEL in legend_texts(fig)


def test_no_threshold_ring_when_framework_has_none(radar_chart):
    fig = radar.build_radar(RadarChart("t", SYB_DOMAINS, STAGES, radar_chart.series))
    assert not [a for a in fig.axes[0].lines if a.get_gid() == "threshold-ring"]


def test_unassessed_domain_is_a_gap_not_zero(radar_chart):
    artists = radar.draw_radar(radar.style.new_figure(9, 9), radar_chart)
    peer = artists.lines[1].get_ydata()
    assert math.isnan(peer[4])
    assert not np.isnan(np.delete(peer, 4)).any()
    assert 0 not in peer  # never drawn as zero
    # closed polygon: the first domain repeated at the end
    assert peer[-1] == peer[0]


def test_legend_has_one_entry_per_series_and_band_note(radar_chart):
    texts = legend_texts(radar.build_radar(radar_chart))
    for series in radar_chart.series:
        assert series.label in texts
    assert any("range of participants" in t for t in texts)
    assert len(texts) == len(radar_chart.series) + 2  # + threshold + band note


def test_band_spans_low_to_high(radar_chart):
    artists = radar.draw_radar(radar.style.new_figure(9, 9), radar_chart)
    band = artists.bands[0]
    assert band is not None and artists.bands[1] is None
    radii = np.concatenate([p.vertices[:, 1] for p in band.get_paths()])
    assert radii.min() == pytest.approx(1.0) and radii.max() == pytest.approx(3.0)


def test_series_differ_without_colour(radar_chart):
    chart = RadarChart(
        "eight",
        SYB_DOMAINS,
        STAGES,
        tuple(RadarSeries(f"s{i}", tuple([2.0] * 13)) for i in range(8)),
    )
    artists = radar.draw_radar(radar.style.new_figure(9, 9), chart)
    looks = {(str(line.get_linestyle()), line.get_marker()) for line in artists.lines}
    assert len(looks) == 8
    assert len(legend_texts(rendered(radar.build_radar(chart)))) == 8


def _overlaps(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


@pytest.mark.parametrize("count", [5, 13])
def test_domain_labels_do_not_overlap_each_other_or_leave_the_figure(count):
    chart = syb_radar()
    chart = RadarChart(chart.title, SYB_DOMAINS[:count], STAGES, chart.series, 3, THRESHOLD_LABEL)
    fig = rendered(radar.build_radar(chart))
    renderer = fig.canvas.get_renderer()
    boxes = [
        t.get_window_extent(renderer)
        for t in fig.findobj(lambda a: str(a.get_gid()).startswith("domain-label-"))
    ]
    assert len(boxes) == count
    for a, b in itertools.combinations(boxes, 2):
        assert not _overlaps(a, b)
    legend_box = fig.legends[0].get_window_extent(renderer)
    for box in boxes:
        assert fig.bbox.contains(box.x0, box.y0) and fig.bbox.contains(box.x1, box.y1)
        assert not _overlaps(box, legend_box)


def _label_boxes(fig):
    renderer = fig.canvas.get_renderer()
    return [
        t.get_window_extent(renderer)
        for t in fig.findobj(lambda a: str(a.get_gid()).startswith("domain-label-"))
    ]


@pytest.mark.parametrize(
    ("width", "height"), [(2.4, 5.4), (3.2, 3.4), (4.0, 4.3), (5.2, 5.6), (9.0, 9.0)]
)
def test_labels_fit_without_overlap_at_small_widget_sizes(width, height):
    chart = syb_radar(2)
    chart = RadarChart("Barnsley Place Partnership", SYB_DOMAINS, STAGES, chart.series)
    fig = radar.build_radar(chart, width, height)
    artists = radar.draw_radar(fig, chart)
    rendered(fig)
    boxes = _label_boxes(fig)
    assert len(boxes) == 13
    for a, b in itertools.combinations(boxes, 2):
        assert not _overlaps(a, b)
    (legend,) = fig.legends  # narrow figures stack the legend in one column, still inside
    legend_box = legend.get_window_extent(fig.canvas.get_renderer())
    assert legend_box.x0 >= 0 and legend_box.x1 <= fig.bbox.width
    for box in boxes:
        assert fig.bbox.contains(box.x0, box.y0) and fig.bbox.contains(box.x1, box.y1)
        assert not _overlaps(box, legend_box)
    fit = artists.label_fit
    assert fit is not None and fit.style.fontsize >= 5.5
    if width >= 5.0:  # a 520 px radar still names every domain in full, never mid-word
        texts = [t.get_text().replace("\n", " ") for t in artists.domain_labels]
        assert texts == list(SYB_DOMAINS) and not fit.shortened
    else:  # shortened labels keep their domain number, so the list and tooltips name them
        for i, text in enumerate(t.get_text() for t in artists.domain_labels):
            assert text.startswith(f"{i + 1}") or text.replace("\n", " ") == SYB_DOMAINS[i]


def test_bigger_figures_get_bigger_label_type():
    chart = RadarChart("t", SYB_DOMAINS, STAGES, syb_radar(1).series)
    small = radar.draw_radar(radar.style.new_figure(4.0, 4.3), chart).label_fit
    large = radar.draw_radar(radar.style.new_figure(9.0, 9.0), chart).label_fit
    assert small is not None and large is not None
    assert large.style.fontsize > small.style.fontsize
    assert large.radius > small.radius


def test_update_series_changes_only_that_line(radar_chart):
    artists = radar.draw_radar(radar.style.new_figure(9, 9), radar_chart)
    before = artists.lines[2].get_ydata().copy()
    changed = radar.update_series(artists, 0, [4.0] * 13, [(3.0, 4.0)] * 13)
    assert artists.lines[0] in changed and artists.bands[0] in changed
    assert np.allclose(artists.lines[0].get_ydata(), 4.0)
    assert np.array_equal(artists.lines[2].get_ydata(), before)
    with pytest.raises(IndexError):
        radar.update_series(artists, 7, [1.0] * 13)


# -- bad input: always a figure, never an exception -------------------------------------------


def test_no_domains_says_why():
    fig = rendered(radar.build_radar(RadarChart("t", (), STAGES, ())))
    assert any(t.startswith("nothing to show: ") and "domains" in t for t in all_text(fig))


def test_no_stages_says_why():
    fig = rendered(radar.build_radar(RadarChart("t", ("A", "B"), (), ())))
    assert any("nothing to show: " in t and "stages" in t for t in all_text(fig))


def test_empty_series_draws_the_grid_and_a_note():
    fig = rendered(radar.build_radar(RadarChart("t", SYB_DOMAINS, STAGES, (), 3, "Maturing")))
    assert len(fig.axes) == 1
    assert any("nothing to show" in t for t in all_text(fig))


def test_one_domain_and_forty_domains_render():
    one = rendered(
        radar.build_radar(RadarChart("t", ("Only",), STAGES, (RadarSeries("a", (2.0,)),)))
    )
    assert "Only" in all_text(one)
    many = tuple(f"Domain number {i} with a longish name" for i in range(40))
    fig = rendered(
        radar.build_radar(RadarChart("t", many, STAGES, (RadarSeries("a", tuple([2.0] * 40)),)))
    )
    (spokes,) = fig.findobj(lambda a: a.get_gid() == "spokes")
    assert len(spokes.get_segments()) == 40


def test_long_title_is_wrapped_and_stays_inside():
    fig = rendered(radar.build_radar(RadarChart("x" * 20 + " word" * 56, SYB_DOMAINS, STAGES, ())))
    title = fig.get_suptitle()
    assert 1 < title.count("\n") + 1 <= 3
    box = fig._suptitle.get_window_extent(fig.canvas.get_renderer())
    assert box.x0 >= 0 and box.x1 <= fig.bbox.width


def test_ragged_and_odd_values_are_padded_not_raised():
    chart = RadarChart(
        "t",
        SYB_DOMAINS,
        STAGES,
        (
            RadarSeries("short", (1.0, 2.0)),
            RadarSeries("long", tuple([2.0] * 20)),
            RadarSeries("odd", (float("nan"), 9.0, -1.0)),
            RadarSeries("band short", (1.0,) * 13, ((1.0, 2.0),)),
        ),
    )
    artists = radar.draw_radar(radar.style.new_figure(9, 9), chart)
    short = artists.lines[0].get_ydata()
    assert len(short) == 14 and np.isnan(short[2:13]).all()
    assert len(artists.lines[1].get_ydata()) == 14
    odd = artists.lines[2].get_ydata()
    assert math.isnan(odd[0]) and odd[1] == 4.0 and odd[2] == 1.0
    rendered(artists.axes.figure)


def test_live_update_moves_the_band_only_when_it_changes():
    import numpy as np

    from matrix_desktop.charts import style
    from matrix_desktop.charts.radar import draw_radar, update_series
    from matrix_desktop.core.chart_models import RadarChart, RadarSeries

    chart = RadarChart(
        "t",
        ("a", "b", "c"),
        ("E", "D", "M", "T"),
        (RadarSeries("s", (1.0, 2.0, 3.0), ((1.0, 2.0), (1.0, 3.0), (2.0, 4.0))),),
    )
    artists = draw_radar(style.new_figure(6, 6), chart)
    before = [p.vertices.copy() for p in artists.bands[0].get_paths()]
    update_series(artists, 0, (2.0, 2.0, 3.0), chart.series[0].band)
    same = [p.vertices for p in artists.bands[0].get_paths()]
    assert all(np.array_equal(a, b) for a, b in zip(before, same, strict=True))
    update_series(artists, 0, (2.0, 2.0, 3.0), ((2.0, 4.0), (1.0, 3.0), (2.0, 4.0)))
    moved = [p.vertices for p in artists.bands[0].get_paths()]
    assert not all(np.array_equal(a, b) for a, b in zip(before, moved, strict=True))
    assert artists.band_data[0][0] == (2.0, 4.0)
