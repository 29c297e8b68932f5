"""Draw the application icon: a five-axis radar over stage rings (SVG, PNGs, Windows .ico).

Run once after changing the design: python build/make_icons.py (needs PySide6 and Pillow).
The outputs are committed under resources/icons/, so builds never need this script.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "icons"
SIZE = 256
CENTRE = SIZE / 2
RADIUS = 92
AXES = 5
STAGES = 4
SCORES = (4, 3, 2, 3, 1)  # an illustrative place: thriving in one domain, emerging in another


def _point(axis: int, value: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * axis / AXES
    r = RADIUS * value / STAGES
    return (round(CENTRE + r * math.cos(angle), 2), round(CENTRE + 8 + r * math.sin(angle), 2))


def _polygon(values: list[float]) -> str:
    return " ".join(f"{x},{y}" for x, y in (_point(i, v) for i, v in enumerate(values)))


def icon_svg() -> str:
    dash = ' stroke-dasharray="8 5"'  # the threshold ring (Maturing), as in the charts
    rings = "\n".join(
        f'  <polygon points="{_polygon([s] * AXES)}" fill="none" stroke="#9fd3cf" '
        f'stroke-width="{4 if s == 3 else 2}"{dash if s == 3 else ""}/>'
        for s in range(1, STAGES + 1)
    )
    spokes = "\n".join(
        f'  <line x1="{CENTRE}" y1="{CENTRE + 8}" x2="{_point(i, STAGES)[0]}" '
        f'y2="{_point(i, STAGES)[1]}" stroke="#9fd3cf" stroke-width="2"/>'
        for i in range(AXES)
    )
    dots = "\n".join(
        f'  <circle cx="{x}" cy="{y}" r="7" fill="#ffffff" stroke="#c45a00" stroke-width="3"/>'
        for x, y in (_point(i, v) for i, v in enumerate(SCORES))
    )
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" viewBox="0 0 {SIZE} {SIZE}">
  <title>Matrix Desktop</title>
  <rect x="8" y="8" width="240" height="240" rx="44" fill="#00565b"/>
{rings}
{spokes}
  <polygon points="{_polygon(list(SCORES))}" fill="#f5a623" fill-opacity="0.85" stroke="#ffffff" stroke-width="5" stroke-linejoin="round"/>
{dots}
</svg>
"""


def main() -> int:
    from PySide6.QtCore import QByteArray, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    OUT.mkdir(parents=True, exist_ok=True)
    svg = icon_svg()
    (OUT / "matrix-desktop.svg").write_text(svg, encoding="utf-8")
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(QByteArray(svg.encode()))
    pngs = []
    for size in (256, 64, 32):
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        path = OUT / ("matrix-desktop.png" if size == 256 else f"matrix-desktop-{size}.png")
        image.save(str(path))
        pngs.append(path)
    del app
    from PIL import Image

    Image.open(pngs[0]).save(
        OUT / "matrix-desktop.ico", sizes=[(16, 16), (32, 32), (48, 48), (64, 64), (256, 256)]
    )
    print("wrote", ", ".join(p.name for p in sorted(OUT.iterdir())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
