"""The command-line interface: argument parsing and dispatch to each command module."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from matrix_desktop import APP_NAME, __version__
from matrix_desktop.core.errors import MatrixError, ValidationFailed


class UsageError(ValidationFailed):
    """A bad argument or value on the command line (exit status 2, like argparse's own)."""


# Each module has register(subparsers) adding its commands with a `run(args) -> int` default.
COMMAND_MODULES = (
    "matrix_desktop.cli.basic",
    "matrix_desktop.cli.backup",
    "matrix_desktop.cli.reports",
    "matrix_desktop.cli.edits",
    "matrix_desktop.cli.server",
    "matrix_desktop.cli.plan",
    "matrix_desktop.cli.pairings",
    "matrix_desktop.cli.feedback",
    "matrix_desktop.cli.setup",
    "matrix_desktop.cli.history",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=APP_NAME,
        description="Offline maturity-matrix self-assessment for integrated health and care. "
        "With no command, opens the desktop application.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument(
        "--database",
        metavar="PATH|URL",
        help="database file or SQLAlchemy URL (default: $MATRIX_DESKTOP_DATABASE, "
        "else the user's application-data folder)",
    )
    parser.add_argument("--read-only", action="store_true", help="open the database read-only")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more detail")
    parser.add_argument(
        "--self-check",
        action="store_true",
        help="check this installation on a temporary database and exit",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    _add_common_options(sub)
    return parser


def _add_common_options(sub: argparse._SubParsersAction) -> None:
    """Let --database and --read-only also follow any command (e.g. `import --database X`)."""
    for child in sub.choices.values():
        known = {o for a in child._actions for o in a.option_strings}
        if "--database" not in known:
            child.add_argument(
                "--database",
                metavar="PATH|URL",
                default=argparse.SUPPRESS,
                help="database file or SQLAlchemy URL",
            )
        if "--read-only" not in known:
            child.add_argument(
                "--read-only",
                action="store_true",
                default=argparse.SUPPRESS,
                help="open the database read-only",
            )
        for action in child._actions:
            if isinstance(action, argparse._SubParsersAction):
                _add_common_options(action)


def run_cli(argv: Sequence[str], *, window_check: Callable[[Path, Path], str] | None = None) -> int:
    """Run a CLI command; returns the exit status (non-zero on any failure).

    window_check lets `--self-check` render the main window too; the entry point passes it,
    since the command line does not import the GUI.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_check:
        from matrix_desktop.cli.selfcheck import run_self_check

        return run_self_check(args, window=window_check)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return int(args.run(args) or 0)
    except UsageError as exc:
        print(f"{APP_NAME}: error: {exc}", file=sys.stderr)
        return 2
    except MatrixError as exc:
        print(f"{APP_NAME}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{APP_NAME}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        explained = _server_failure(args, exc)
        if explained is None:
            raise
        print(f"{APP_NAME}: error: {explained}", file=sys.stderr)
        return 1


def _server_failure(args: argparse.Namespace, exc: Exception) -> str | None:
    """One sentence for a server's refusal or a dropped link mid-command (None: not that)."""
    from sqlalchemy.exc import DBAPIError

    if not isinstance(exc, DBAPIError):
        return None
    from matrix_desktop.storage.database import resolve_location
    from matrix_desktop.storage.server import explain_server_error

    location = resolve_location(getattr(args, "database", None))
    if location.is_sqlite:
        return None
    explained = explain_server_error(location, exc)
    return str(explained) if explained is not None else None
