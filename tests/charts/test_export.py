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
