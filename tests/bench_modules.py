"""Load the benchmarks' helper modules (benchmarks/_pgserver.py, _tcpproxy.py) by their path.

The benchmarks folder is not a package; the tests that start a throwaway PostgreSQL server or
put a delaying proxy in front of it use the same modules the benchmarks do.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def load_benchmark(name: str) -> ModuleType:
    """Return benchmarks/<name>.py as a module, loaded once."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]
