"""The code stays lint-clean and formatted (ruff), so CI keeps it that way."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TREES = ["src", "tests", "benchmarks", "build"]


def _ruff() -> list[str]:
    beside = Path(sys.executable).with_name("ruff")
    found = str(beside) if beside.exists() else shutil.which("ruff")
    assert found, "ruff is not installed (it is in the 'test' extra)"
    return [found]


def test_ruff_check_is_clean():
    result = subprocess.run([*_ruff(), "check", *TREES], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_code_is_formatted():
    result = subprocess.run(
        [*_ruff(), "format", "--check", *TREES], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
