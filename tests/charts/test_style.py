"""Tests for the house style: bundled font, series looks, text helpers, and import rules."""

from __future__ import annotations

import ast
from pathlib import Path

from matplotlib import font_manager

from matrix_desktop.charts import style
from matrix_desktop.paths import fonts_dir

CHARTS = Path(style.__file__).parent


def test_bundled_font_is_registered_and_used():
    added = style.register_fonts()
    assert {Path(p).name for p in added} == set(style.FONT_FILES)
    assert (fonts_dir() / "LICENSE-DejaVu.txt").read_text().startswith("Fonts are (c) Bitstream")
    with style.chart_context():
        found = font_manager.findfont(font_manager.FontProperties())
    assert Path(found).name == "DejaVuSans.ttf"


def test_series_styles_are_distinct_without_colour():
    looks = {(style.series_style(i).line_style, style.series_style(i).marker) for i in range(8)}
    assert len(looks) == 8


def test_text_helpers():
    assert style.signed(2) == "+2" and style.signed(-1) == "\u22121" and style.signed(0) == "0"
    assert style.stage_name(("A", "B", "C"), 2.4) == "B"
    assert style.stage_name(("A", "B", "C"), 9) == "C"
    wrapped = style.wrap("word " * 100, 20, 3)
    assert wrapped.count("\n") == 2 and wrapped.endswith("\u2026")


def test_charts_import_neither_pyplot_nor_qt():
    for module in CHARTS.glob("*.py"):
        tree = ast.parse(module.read_text())
        assert ast.get_docstring(tree), f"{module.name} lacks a module docstring"
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert "pyplot" not in name and not name.startswith(("PySide6", "PyQt"))
                assert "backend_qt" not in name, f"{module.name} imports {name}"
