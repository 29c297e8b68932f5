"""Tests for the radar builder: rings, threshold, gaps, bands, legend, labels and bad input."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from chart_samples import (
    STAGES,
    SYB_DOMAINS,
    THRESHOLD_LABEL,
    all_text,
    band_polygons,
    rendered,
    syb_radar,
)
from matplotlib.transforms import Bbox

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
    radii = np.concatenate([p[:, 1] for p in band_polygons(band)])
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
    before = [p.copy() for p in band_polygons(artists.bands[0])]
    update_series(artists, 0, (2.0, 2.0, 3.0), chart.series[0].band)
    same = band_polygons(artists.bands[0])
    assert all(np.array_equal(a, b) for a, b in zip(before, same, strict=True))
    update_series(artists, 0, (2.0, 2.0, 3.0), ((2.0, 4.0), (1.0, 3.0), (2.0, 4.0)))
    moved = band_polygons(artists.bands[0])
    assert not all(np.array_equal(a, b) for a, b in zip(before, moved, strict=True))
    assert artists.band_data[0][0] == (2.0, 4.0)


# -- the live radar as the room sees it ----------------------------------------------------------

NUMBERED = tuple(str(i + 1) for i in range(13))
# Widget sizes the app gives the radar (inches at 100 dpi): the workshop's side panel at its
# smallest and at 1366 x 768, the presentation view, and the report's figure.
APP_SIZES = [(2.4, 2.6), (2.9, 6.0), (4.0, 4.3), (9.0, 9.0)]


def _one_domain(domain: int, value: float | None, band=None, *, previous=None) -> RadarChart:
    values = [None] * 13
    values[domain] = value
    bands = None
    if band is not None:
        bands = [None] * 13
        bands[domain] = band
    series = [RadarSeries("This assessment (agreed)", tuple(values), bands and tuple(bands))]
    if previous is not None:
        series.append(RadarSeries("Previous round", tuple(previous)))
    return RadarChart("", NUMBERED, STAGES, tuple(series), 3, THRESHOLD_LABEL)


def _pixel(fig, xy) -> np.ndarray:
    """Return the RGB (0..255) of the rendered figure at display point xy (origin bottom left)."""
    image = np.asarray(fig.canvas.buffer_rgba())
    x, y = round(float(xy[0])), round(float(xy[1]))
    return image[image.shape[0] - 1 - y, x, :3].astype(int)


def _rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])


def _point(artists, series: int, domain: int, value: float):
    angle = radar.thetas(len(artists.chart.domains))[domain]
    return artists.lines[series].get_transform().transform((angle, value))


def _band_polygons(artists, series: int = 0) -> list[np.ndarray]:
    """Return each band polygon in display pixels, as drawn."""
    band = artists.bands[series]
    transform = band.get_transform()
    return [transform.transform(p) for p in band_polygons(band)]


def _area(polygon: np.ndarray) -> float:
    x, y = polygon[:, 0], polygon[:, 1]
    return 0.5 * abs(float(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1))))


@pytest.mark.parametrize("domain", [0, 5])
@pytest.mark.parametrize("band", [(1.0, 3.0), (2.0, 2.0)])
def test_one_domain_with_views_shows_its_spread_on_its_own_axis(domain, band):
    # The room has voted on the domain being discussed and on no other: its spread must show.
    chart = _one_domain(domain, None, band)
    fig = radar.style.new_figure(4.0, 4.3)
    artists = radar.draw_radar(fig, chart)
    rendered(fig)
    (polygon,) = _band_polygons(artists)
    assert _area(polygon) > 30  # square pixels: a visible wedge (or arc), not a zero-width sliver
    # it sits on this domain's axis, reaching from the lowest view to the highest
    (shape,) = band_polygons(artists.bands[0])
    axis = radar.thetas(13)[domain]
    off_axis = np.angle(np.exp(1j * (shape[:, 0] - axis)))
    assert np.abs(off_axis).max() < math.pi / 13  # inside the gap to either neighbour
    assert off_axis.min() < 0 < off_axis.max()
    low, high = band
    assert shape[:, 1].min() == pytest.approx(min(low, (low + high) / 2 - 0.06))
    assert shape[:, 1].max() == pytest.approx(max(high, (low + high) / 2 + 0.06))
    # and the picture shows it: the middle of the wedge is tinted with the series colour
    middle = radar.RadialTransform().transform((axis, (low + high) / 2))
    colour = _pixel(fig, artists.axes.transData.transform(middle))
    blue = _rgb(radar.style.series_style(0).colour)
    assert not np.array_equal(colour, [255, 255, 255])
    assert np.argmax(colour) == np.argmax(blue)  # blue-ish, not grey or white


def test_a_band_on_a_neighbour_does_not_merge_with_this_domains_spread():
    chart = _one_domain(0, 2.0, (1.0, 3.0))
    bands = [None] * 13
    bands[0], bands[1] = (1.0, 3.0), (2.0, 4.0)
    artists = radar.draw_radar(radar.style.new_figure(4.0, 4.3), chart)
    radar.update_series(artists, 0, chart.series[0].values, bands)
    rendered(artists.axes.figure)
    polygons = band_polygons(artists.bands[0])
    assert len(polygons) == 2  # one sector per domain with views
    wrapped = [np.angle(np.exp(1j * p[:, 0])) for p in polygons]
    centres = sorted(float(a.min() + a.max()) / 2 for a in wrapped)
    assert centres == pytest.approx([0.0, radar.thetas(13)[1]], abs=1e-6)


def test_legend_swatch_is_the_colour_of_the_band(radar_chart):
    fig = rendered(radar.build_radar(radar_chart))
    (legend,) = fig.legends
    entries = dict(zip(legend_texts(fig), legend.legend_handles, strict=True))
    swatch = next(h for t, h in entries.items() if "range of participants" in t)
    (band,) = fig.findobj(lambda a: a.get_gid() == "band-0")
    assert np.allclose(swatch.get_facecolor(), band.get_facecolor())
    assert np.allclose(swatch.get_edgecolor(), band.get_edgecolor())
    series_rgb = _rgb(radar.style.series_style(0).colour) / 255
    assert np.allclose(swatch.get_facecolor()[:3], series_rgb)


def test_the_current_round_is_drawn_over_the_previous_one():
    current = (3.0,) * 13
    chart = RadarChart(
        "",
        NUMBERED,
        STAGES,
        (RadarSeries("This assessment (agreed)", current), RadarSeries("Previous round", current)),
    )
    fig = radar.style.new_figure(4.0, 4.3)
    artists = radar.draw_radar(fig, chart)
    assert artists.lines[0].get_zorder() > artists.lines[1].get_zorder()
    rendered(fig)
    # where both rounds put a point, the current round's marker is the one seen
    blue = _rgb(radar.style.series_style(0).colour)
    for domain in (2, 6, 9):
        assert np.abs(_pixel(fig, _point(artists, 0, domain, 3.0)) - blue).max() <= 12


@pytest.mark.parametrize(("width", "height"), APP_SIZES)
@pytest.mark.parametrize("stage", [1.0, 2.0, 3.0, 4.0])
def test_ring_labels_never_hide_domain_ones_point(width, height, stage):
    chart = _one_domain(0, stage, previous=[float(1 + d % 4) for d in range(13)])
    fig = radar.style.new_figure(width, height)
    artists = radar.draw_radar(fig, chart)
    rendered(fig)
    renderer = fig.canvas.get_renderer()
    marker = artists.lines[0]
    centre = _point(artists, 0, 0, stage)
    half = marker.get_markersize() * fig.dpi / 72 / 2
    point = Bbox.from_extents(*(centre - half), *(centre + half))
    for label in artists.ring_labels:
        patch = label.get_bbox_patch().get_window_extent(renderer)
        assert not patch.overlaps(point) or label.get_zorder() < marker.get_zorder()
    # what a person sees at the point is the series' marker, not a white label box
    colour = _pixel(fig, centre)
    assert np.abs(colour - _rgb(radar.style.series_style(0).colour)).max() <= 12


@pytest.mark.parametrize(("width", "height"), APP_SIZES)
def test_one_scored_domain_shows_a_visible_marker(width, height):
    # The first key press of a workshop: domain 1 at the first stage, nothing else scored.
    chart = _one_domain(0, 1.0)
    fig = radar.style.new_figure(width, height)
    artists = radar.draw_radar(fig, chart)
    rendered(fig)
    line = artists.lines[0]
    assert line.get_marker() not in (None, "", "None") and line.get_markersize() >= 5
    centre = _point(artists, 0, 0, 1.0)
    assert fig.bbox.contains(*centre)
    blue = _rgb(radar.style.series_style(0).colour)
    # the marker's middle and a point just off it both carry the series colour
    for dx, dy in ((0, 0), (1, 0), (0, 1), (-1, 0), (0, -1)):
        assert np.abs(_pixel(fig, centre + (dx, dy)) - blue).max() <= 16


def test_band_sectors_follow_a_live_update():
    chart = _one_domain(0, 2.0, (1.0, 3.0))
    artists = radar.draw_radar(radar.style.new_figure(4.0, 4.3), chart)
    bands = [None] * 13
    bands[4] = (2.0, 4.0)
    changed = radar.update_series(artists, 0, chart.series[0].values, bands)
    assert artists.bands[0] in changed
    (shape,) = band_polygons(artists.bands[0])
    assert np.angle(np.exp(1j * (shape[:, 0] - radar.thetas(13)[4]))).max() < math.pi / 13
    assert (shape[:, 1].min(), shape[:, 1].max()) == pytest.approx((2.0, 4.0))
    radar.update_series(artists, 0, chart.series[0].values, [None] * 13)
    assert not band_polygons(artists.bands[0])


# -- full names where there is room; never a bare number and an ellipsis -----------------------

# The self vs peer radar under its table: the canvas sizes PeerReviewWidget gives it at
# 1000 x 700 and 1100 x 800 (measured), and a wider window.
PEER_SIZES = [(9.72, 3.84), (10.72, 4.47), (12.52, 5.11)]


@pytest.mark.parametrize(("width", "height"), PEER_SIZES)
def test_self_vs_peer_radar_names_every_domain_in_full(width, height):
    chart = RadarChart(
        "Barnsley Place Partnership: self-assessment and peer review",
        SYB_DOMAINS,
        STAGES,
        (
            RadarSeries("Self-assessment", tuple(float(1 + d % 4) for d in range(13))),
            RadarSeries(
                "Peer review: Ann (Doncaster Council)",
                tuple(float(1 + (d + 1) % 4) for d in range(13)),
            ),
        ),
        3,
        "minimum for ICS designation",
    )
    fig = radar.style.new_figure(width, height)
    artists = radar.draw_radar(fig, chart)
    rendered(fig)
    texts = [t.get_text() for t in artists.domain_labels]
    assert not any("\u2026" in t for t in texts)
    assert [t.replace("\n", " ") for t in texts] == list(SYB_DOMAINS)
    boxes = _label_boxes(fig)
    for a, b in itertools.combinations(boxes, 2):
        assert not _overlaps(a, b)
    legend_box = fig.legends[0].get_window_extent(fig.canvas.get_renderer())
    for box in boxes:
        assert fig.bbox.contains(box.x0, box.y0) and fig.bbox.contains(box.x1, box.y1)
        assert not _overlaps(box, legend_box)


@pytest.mark.parametrize("index", range(13))
def test_a_shortened_label_keeps_the_start_of_its_name(index):
    name = SYB_DOMAINS[index]
    for tier in radar.radar_labels.candidates(13):
        for candidate in tier:
            text = candidate.text(index, name).replace("\n", " ")
            if candidate.short == 0:
                assert text == str(index + 1)  # the number alone, by design
            elif candidate.numbered:
                # "2.…" names nothing: the name's first letters always follow the number
                assert text.startswith(f"{index + 1}. {name[:4]}")
            else:  # a plain style that cuts a name is never chosen (fit_labels skips it)
                assert text.startswith(name[:4])
