"""CLI commands for a shared PostgreSQL server: init, upgrade, grant, revoke, roles (who)."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "server",
        help="administer a shared PostgreSQL database: set up, upgrade, grant and revoke roles",
    )
    s_sub = p.add_subparsers(dest="server_command", metavar="ACTION", required=True)
    c = s_sub.add_parser(
        "init", help="create the schema, group roles and policies in an empty database"
    )
    c.add_argument("url", metavar="URL", help="postgresql+psycopg://OWNER@HOST/DATABASE")
    c.set_defaults(run=cmd_server_init)
    c = s_sub.add_parser(
        "upgrade",
        help="upgrade the schema to this version (as its owner; pg_dump backup first)",
    )
    c.add_argument("url", metavar="URL")
    c.add_argument(
        "--backup-folder",
        metavar="FOLDER",
        type=Path,
        default=Path.cwd(),
        help="where pg_dump writes the backup (default: the current folder)",
    )
    c.set_defaults(run=cmd_server_upgrade)
    c = s_sub.add_parser(
        "grant",
        help="give a login a role: administrator, programme office, facilitator, "
        "peer reviewer or viewer",
    )
    c.add_argument("login", metavar="LOGIN")
    c.add_argument("role", metavar="ROLE", help="e.g. viewer, office, facilitator, reviewer")
    c.add_argument(
        "--entity",
        metavar="NAME",
        action="append",
        default=[],
        help="an entity the facilitator or peer reviewer works on (repeatable)",
    )
    c.add_argument("--url", metavar="URL", help="the server database (default: --database)")
    c.set_defaults(run=cmd_server_grant)
    c = s_sub.add_parser("revoke", help="take a role (or every role) from a login")
    c.add_argument("login", metavar="LOGIN")
    c.add_argument("role", metavar="ROLE", nargs="?", help="the role (default: every role)")
    c.add_argument("--entity", metavar="NAME", action="append", default=[])
    c.add_argument("--url", metavar="URL", help="the server database (default: --database)")
    c.set_defaults(run=cmd_server_revoke)
    for name in ("roles", "who"):
        c = s_sub.add_parser(name, help="list the logins holding a role, with their entities")
        c.add_argument("url", metavar="URL", nargs="?")
        c.set_defaults(run=cmd_server_roles)


def _url(args: argparse.Namespace) -> str:
    from matrix_desktop.cli.main import UsageError

    url = getattr(args, "url", None) or getattr(args, "database", None)
    if not url:
        raise UsageError("name the server database: --url URL (or --database URL)")
    return str(url)


def _print(lines: list[str]) -> int:
    for line in lines:
        print(line)
    return 0


def cmd_server_init(args: argparse.Namespace) -> int:
    from matrix_desktop.services import server_admin

    return _print(server_admin.init(_url(args)))


def cmd_server_upgrade(args: argparse.Namespace) -> int:
    from matrix_desktop.services import server_admin

    return _print(server_admin.upgrade(_url(args), args.backup_folder))


def cmd_server_grant(args: argparse.Namespace) -> int:
    from matrix_desktop.services import server_admin

    return _print(server_admin.grant(_url(args), args.login, args.role, args.entity))


def cmd_server_revoke(args: argparse.Namespace) -> int:
    from matrix_desktop.services import server_admin

    return _print(server_admin.revoke(_url(args), args.login, args.role, args.entity))


def cmd_server_roles(args: argparse.Namespace) -> int:
    from matrix_desktop.services import server_admin

    rows = server_admin.roles(_url(args))
    if not rows:
        print("no login holds a matrix-desktop role yet (server grant LOGIN ROLE)")
    for row in rows:
        named = "; ".join(f"{role} of {name}" for role, name in row.entities)
        print(f"{row.login}: {', '.join(row.roles)}" + (f" ({named})" if named else ""))
    return 0
