"""Checks on printed PDFs: text sizes as printed (pypdf) and page orientation (pdftoppm)."""

from __future__ import annotations

import math
import subprocess
from pathlib import Path

from pypdf import PdfReader

MIN_PT = 7.0


def _times(m: list[float], n: list[float]) -> list[float]:
    return [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]


def small_text(path: Path, limit: float = MIN_PT) -> list[tuple[int, float, str]]:
    """Return (page, printed size, text) for every piece of text printed under limit points.

    The printed size is the font size times the scale of the text and graphics matrices, so a
    chart drawn at 8 pt and scaled to 60 % counts as 4.8 pt.
    """
    found: list[tuple[int, float, str]] = []
    for number, page in enumerate(PdfReader(path).pages, start=1):

        def visit(text, cm, tm, _font, size, number=number):  # type: ignore[no-untyped-def]
            if not text.strip():
                return
            m = _times(list(tm), list(cm))
            printed = size * math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))
            if printed < limit - 0.05:
                found.append((number, round(printed, 2), text.strip()[:40]))

        page.extract_text(visitor_text=visit)
    return found


def rendered_orientations(path: Path, folder: Path) -> list[str]:
    """Render every page with pdftoppm and return "portrait" or "landscape" for each."""
    prefix = folder / "page"
    subprocess.run(["pdftoppm", "-r", "20", "-png", str(path), str(prefix)], check=True)
    out = []
    for png in sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[-1])):
        data = png.read_bytes()
        width = int.from_bytes(data[16:20], "big")
        height = int.from_bytes(data[20:24], "big")
        out.append("landscape" if width > height else "portrait")
    return out
