"""CLI command `history`: the audit trail, who changed what and when, newest first."""

from __future__ import annotations

import argparse

DEFAULT_LIMIT = 50


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "history",
        help="show the audit trail (who changed what, when), newest first",
        description="Show the audit trail, newest first: when, who (the computer's user "
        "name, and on a server the database login that made the change when it differs), "
        "what and where.",
    )
    p.add_argument("--assessment", metavar="ID", help="only this assessment's changes")
    p.add_argument(
        "--limit",
        type=int,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"at most N changes (default {DEFAULT_LIMIT})",
    )
    p.set_defaults(run=cmd_history)


def cmd_history(args: argparse.Namespace) -> int:
    from matrix_desktop.cli.basic import _services
    from matrix_desktop.cli.main import UsageError

    if args.limit < 1:
        raise UsageError(f"--limit {args.limit}: give a number of changes of 1 or more.")
    svc = _services(args, read_only=True)
    try:
        events = svc.assessments.audit(args.assessment, args.limit)
        if not events and args.assessment is not None:
            svc.assessments.get(args.assessment)  # none such: NotFound, one sentence, exit 1
    finally:
        svc.close()
    if not events:
        print("No changes recorded.")
    for e in events:
        where = " ".join(x for x in (e.assessment_id or "", e.domain_key or "") if x)
        when = e.at[:19].replace("T", " ")
        print(f"{when}  {e.who}  {e.action}" + (f"  {where}" if where else "") + f"  {e.detail}")
    return 0
