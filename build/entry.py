"""Frozen-bundle entry point: keep matplotlib's font cache between runs, then run main()."""

from __future__ import annotations

import os
import sys


def _persistent_matplotlib_cache() -> None:
    """Point MPLCONFIGDIR at the user's cache folder, so the font cache survives between runs.

    The spec drops PyInstaller's matplotlib run-time hook, which gives every run a new
    temporary config folder (needed for one-file bundles only); rebuilding the font cache
    on every start costs seconds. If the cache folder cannot be written (read-only home),
    a temporary folder is used, removed at exit.
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
        import atexit
        import shutil
        import tempfile

        temporary = tempfile.mkdtemp(prefix="matrix-desktop-mpl-")
        atexit.register(shutil.rmtree, temporary, ignore_errors=True)
        os.environ["MPLCONFIGDIR"] = temporary
        return
    os.environ["MPLCONFIGDIR"] = str(folder)


if __name__ == "__main__":
    _persistent_matplotlib_cache()
    from matrix_desktop.__main__ import main

    sys.exit(main())
