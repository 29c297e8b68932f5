"""The architecture's import rules: only ui/ touches Qt; core stays pure; never pyplot.

The rules themselves are import-linter contracts in pyproject.toml ([tool.importlinter]);
test_import_contracts_are_kept runs them, so `make test` fails on a broken one as `make lint`
does. The checks below are quick, readable restatements of the main ones.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "src" / "matrix_desktop"
QT_ALLOWED = {"ui"}
QT_ALLOWED_FILES = {"app.py", "__main__.py"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules():
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(PKG)
        yield rel, _imports(path)


def test_only_ui_imports_pyside6():
    offenders = [
        str(rel)
        for rel, names in _modules()
        if any(n.split(".")[0] == "PySide6" for n in names)
        and rel.parts[0] not in QT_ALLOWED
        and str(rel) not in QT_ALLOWED_FILES
    ]
    assert offenders == []


def test_core_imports_no_storage_or_drawing_libraries():
    banned = {"sqlalchemy", "sqlmodel", "matplotlib", "reportlab", "PySide6", "alembic"}
    offenders = [
        f"{rel}: {n}"
        for rel, names in _modules()
        if rel.parts[0] == "core"
        for n in names
        if n.split(".")[0] in banned
    ]
    assert offenders == []


def test_layers_import_downwards_only():
    order = {
        "core": 0,
        "storage": 1,
        "charts": 1,
        "reports": 1,
        "exchange": 1,
        "services": 2,
        "cli": 3,
        "ui": 3,
    }
    offenders = []
    for rel, names in _modules():
        layer = rel.parts[0] if len(rel.parts) > 1 else None
        if layer not in order:
            continue
        for n in names:
            parts = n.split(".")
            if parts[0] == "matrix_desktop" and len(parts) > 1 and parts[1] in order:
                if order[parts[1]] > order[layer]:
                    offenders.append(f"{rel} imports {n}")
    assert offenders == []


def test_front_ends_import_neither_each_other_nor_the_composition_root():
    def crosses(own: str, name: str) -> bool:
        parts = name.split(".")
        if parts[0] != "matrix_desktop" or len(parts) < 2:
            return False
        return parts[1] in ("app", "__main__") or parts[1] in {"ui", "cli"} - {own}

    offenders = [
        f"{rel} imports {n}"
        for rel, names in _modules()
        if rel.parts[0] in ("ui", "cli")
        for n in names
        if crosses(rel.parts[0], n)
    ]
    assert offenders == []


def test_ui_reaches_storage_exchange_and_reports_only_through_services():
    beneath = {"storage", "exchange", "reports"}
    offenders = [
        f"{rel} imports {n}"
        for rel, names in _modules()
        if rel.parts[0] == "ui"
        for n in names
        if n.startswith("matrix_desktop.") and n.split(".")[1] in beneath
    ]
    assert offenders == []


def _lint_imports() -> str:
    beside = Path(sys.executable).with_name("lint-imports")
    found = str(beside) if beside.exists() else shutil.which("lint-imports")
    assert found, "import-linter is not installed (it is in the 'test' extra)"
    return found


def test_import_contracts_are_kept():
    """Every contract in pyproject.toml: layers, services-only GUI, Qt-free core, no cycles."""
    # This checkout's package (not another one an editable install may point at).
    env = {**os.environ, "PYTHONPATH": str(PKG.parent)}
    result = subprocess.run(
        [_lint_imports(), "--no-cache"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_nothing_uses_pyplot():
    assert [str(r) for r, names in _modules() if "matplotlib.pyplot" in names] == []


def test_non_gui_layers_load_without_qt():
    code = (
        "import sys\n"
        "import matrix_desktop.services.context, matrix_desktop.cli.main\n"
        "import matrix_desktop.exchange.codec, matrix_desktop.core.rules\n"
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt was imported'\n"
    )
    env = {"PYTHONPATH": str(PKG.parent), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
