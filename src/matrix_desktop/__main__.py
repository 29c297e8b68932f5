"""Entry point: parse arguments, set up logging, then run a CLI command or the GUI."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    from matrix_desktop.core.redact import install_log_redaction

    install_log_redaction()  # a server URL or driver message in a log never shows a password


def _is_exchange_file(arg: str) -> bool:
    """Return True for an exchange file given as the first argument (the file association:
    double-clicking a .mdx.json file starts `matrix-desktop FILE`), which the GUI imports."""
    return arg.lower().endswith(".json") and os.path.isfile(arg)


def _has_command(args: Sequence[str]) -> bool:
    """Return True if the arguments name a CLI command (or ask for help/version/self-check)."""
    skip = False
    for a in args:
        if skip:
            skip = False
        elif a == "--database":
            skip = True
        elif a in ("-h", "--help", "--version", "--self-check"):
            return True
        elif not a.startswith("-"):
            return not _is_exchange_file(a)
    return False


def main(argv: Sequence[str] | None = None) -> int:
    """Run matrix-desktop: a CLI command when one is given, else the desktop application."""
    args = list(sys.argv[1:] if argv is None else argv)
    _setup_logging("-v" in args or "--verbose" in args)
    wants_cli = _has_command(args)
    if wants_cli:
        from matrix_desktop.cli.main import run_cli

        return run_cli(args, window_check=_window_check)
    return gui_main(args)


def _window_check(database: Path, settings_file: Path) -> str:
    """The self-check's window step: the desktop application, imported only when it runs."""
    from matrix_desktop.app import gui_self_check

    return gui_self_check(database, settings_file)


def gui_main(argv: Sequence[str] | None = None) -> int:
    """Open the desktop application (options: --database, --read-only)."""
    args = list(sys.argv[1:] if argv is None else argv)
    database = os.environ.get("MATRIX_DESKTOP_DATABASE")
    read_only = "--read-only" in args
    files = []
    for i, a in enumerate(args):
        if a == "--database" and i + 1 < len(args):
            database = args[i + 1]
        elif a.startswith("--database="):
            database = a.split("=", 1)[1]
        elif _is_exchange_file(a) and (i == 0 or args[i - 1] != "--database"):
            files.append(os.path.abspath(a))
    from matrix_desktop.app import run_gui

    return run_gui(database, read_only=read_only, import_files=files)


if __name__ == "__main__":
    sys.exit(main())
