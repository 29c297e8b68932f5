"""Frozen-bundle entry point: keep matplotlib's font cache between runs, then run main()."""

from __future__ import annotations

import os
import sys


def _persistent_matplotlib_cache() -> None:
    """Point MPLCONFIGDIR at the user's cache folder instead of a fresh temporary one.

    PyInstaller's matplotlib run-time hook gives every run a new temporary config folder
    (needed for one-file bundles, whose paths change each run). This is a one-folder bundle,
    so the font cache stays valid, and rebuilding it on every start costs seconds. If the
    cache folder cannot be written (read-only home), the temporary folder stays.
    """
    if os.environ.get("MATRIX_DESKTOP_MPLCONFIGDIR_KEEP"):
        return
    from matrix_desktop.paths import user_cache_dir

    try:
        folder = user_cache_dir() / "matplotlib"
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".writable"
        probe.touch()
    except (OSError, RuntimeError):  # RuntimeError: no home directory at all
        return
    os.environ["MPLCONFIGDIR"] = str(folder)


if __name__ == "__main__":
    _persistent_matplotlib_cache()
    from matrix_desktop.__main__ import main

    sys.exit(main())
