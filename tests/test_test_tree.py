"""The test tree itself: module names must be unique (pytest imports them by basename)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_test_modules_have_unique_basenames():
    names = Counter(p.name for p in TESTS.rglob("*.py") if p.name != "conftest.py")
    assert [n for n, c in names.items() if c > 1] == []


def test_no_test_package_markers():
    # Packages would change how sibling helper modules are imported in this tree.
    assert [str(p.relative_to(TESTS)) for p in TESTS.rglob("__init__.py")] == []
