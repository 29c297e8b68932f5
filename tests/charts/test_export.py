"""Chart export: PNG size and content, SVG text and colours, PDF drawings with real text."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from chart_samples import SYB_DOMAINS, syb_radar
from PIL import Image
from reportlab.graphics import renderPDF
from reportlab.platypus import SimpleDocTemplate

from matrix_desktop.charts import export
from matrix_desktop.charts.radar import build_radar

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def radar_fig():
    return build_radar(syb_radar())


@pytest.mark.parametrize("dpi", [72, 150])
def test_png_has_the_requested_size_and_is_not_blank(radar_fig, dpi):
    image = Image.open(io.BytesIO(export.figure_to_png(radar_fig, dpi))).convert("L")
    width, height = radar_fig.get_size_inches()
    assert image.size == (round(width * dpi), round(height * dpi))
    pixels = np.asarray(image, dtype=float)
    assert pixels.std() > 10  # not a blank (uniform) image
    assert (pixels < 100).mean() > 0.005  # some dark ink: lines and text


def test_svg_keeps_every_domain_label_as_text(radar_fig):
    root = ET.fromstring(export.figure_to_svg(radar_fig))
    lines = [" ".join("".join(t.itertext()).split()) for t in root.iter(f"{SVG}text")]
    assert lines, "labels were drawn as paths, not text"
    joined = " ".join(lines)
    for domain in SYB_DOMAINS:
        assert " ".join(domain.split()) in joined


def test_svg_carries_transparency_in_colours_not_opacity(radar_fig):
    svg = export.figure_to_svg(radar_fig).decode()
    assert not re.search(r"(?<![-\w])opacity\s*[:=]", svg)
    assert "fill-opacity" not in svg and "stroke-opacity" not in svg
    assert re.search(r"fill: #[0-9a-fA-F]{8}", svg)  # the translucent spread band


def test_fold_opacity_into_colours():
    folded = export.fold_opacity_into_colours(
        b'<path style="fill: #0072b2; fill-opacity: 0.5; stroke: #000000; opacity: 0.5"/>'
    )
    assert folded == b'<path style="fill: #0072b240; stroke: #00000080"/>'


def test_drawing_makes_a_pdf_with_searchable_text(radar_fig, tmp_path):
    drawing = export.figure_to_drawing(radar_fig, width=400)
    assert drawing.width == pytest.approx(400)
    pdf = tmp_path / "chart.pdf"
    SimpleDocTemplate(str(pdf)).build([drawing])
    data = pdf.read_bytes()
    assert b"DejaVuSans" in data  # the bundled font is embedded, not Helvetica
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = " ".join(text.split())
    for word in ("Leadership", "Governance", "Values and Behaviours", "Maturing", "Thriving"):
        assert word in words
    assert renderPDF.drawToString(drawing)[:4] == b"%PDF"


def test_png_encoder_keeps_every_pixel_and_the_resolution():
    rng = np.random.default_rng(7)
    rgba = rng.integers(0, 256, size=(37, 53, 4), dtype=np.uint8)  # odd sizes, see-through
    image = Image.open(io.BytesIO(export.encode_png(rgba, 300, compress_level=1)))
    image.load()
    assert image.mode == "RGBA" and image.size == (53, 37)
    assert np.array_equal(np.asarray(image), rgba)
    assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)


def test_png_of_a_figure_is_the_drawn_chart_pixel_for_pixel(radar_fig):
    """The PNG holds exactly what matplotlib draws (as its own PNG writer would write it)."""
    from matrix_desktop.charts import style

    ours = np.asarray(Image.open(io.BytesIO(export.figure_to_png(radar_fig, 80))))
    buffer = io.BytesIO()
    with style.chart_context():
        radar_fig.savefig(buffer, format="png", dpi=80, facecolor="white")
    theirs = np.asarray(Image.open(buffer))
    assert ours.shape == theirs.shape and np.array_equal(ours, theirs)


def test_png_encoder_refuses_what_is_not_an_rgba_image():
    with pytest.raises(ValueError, match="height x width x 4"):
        export.encode_png(np.zeros((4, 4, 3), dtype=np.uint8), 72)


def test_png_falls_back_to_matplotlibs_writer_when_it_hands_over_no_pixel_buffer(
    radar_fig, monkeypatch
):
    real = export._Pixels.write

    def as_bytes(self, data):  # type: ignore[no-untyped-def]
        return real(self, bytes(data))  # flat bytes, as another matplotlib might write

    ours = np.asarray(Image.open(io.BytesIO(export.figure_to_png(radar_fig, 60))))
    monkeypatch.setattr(export._Pixels, "write", as_bytes)
    fallback = Image.open(io.BytesIO(export.figure_to_png(radar_fig, 60)))
    assert np.array_equal(np.asarray(fallback), ours)
