"""CLI commands of the improvement plan: `actions list|set-status` and `targets set`.

They use the same edit path as the workshop: an action's status or a domain's target is an
edit of the domain's rating (compare-and-set, audited, exit 3 on a conflict). A bad value
exits 2 with nothing changed. A target below the agreed stage, or a date in the past, is
saved with a warning on standard error.
"""

from __future__ import annotations

import argparse
import json
import sys

from matrix_desktop import APP_NAME
from matrix_desktop.cli.edits import (
    _domain,
    _execute_edit,
    _find_assessment,
    _iso_date,
    _lower_dash,
    _open,
)
from matrix_desktop.cli.main import UsageError
from matrix_desktop.core.errors import NotFound, ValidationFailed
from matrix_desktop.core.model import ActionStatus
from matrix_desktop.core.plan import PlanFilter
from matrix_desktop.services.plan import PLAN_HEADERS, export_plan_xlsx, plan_table

STATUSES = [s.value for s in ActionStatus]


def register(sub: argparse._SubParsersAction) -> None:
    a = sub.add_parser("actions", help="the action plan: list actions, set an action's status")
    a_sub = a.add_subparsers(dest="actions_command", metavar="ACTION", required=True)

    p = a_sub.add_parser(
        "list",
        help="every action once, as its latest round holds it (filters combine)",
    )
    p.add_argument("--entity", action="append", default=[], metavar="NAME", help="repeatable")
    p.add_argument("--system", metavar="NAME", help="only this system's entities")
    p.add_argument("--domain", metavar="KEY", help="only this domain (key or title)")
    p.add_argument("--owner", metavar="WHO", help="owner's name contains this")
    p.add_argument("--status", type=_lower_dash, choices=STATUSES, metavar="|".join(STATUSES))
    p.add_argument("--overdue", action="store_true", help="only actions past their due date")
    p.add_argument("--xlsx", metavar="FILE", help="also write the list to a spreadsheet")
    p.add_argument("--json", action="store_true", help="as one JSON array")
    p.set_defaults(run=cmd_actions_list)

    p = a_sub.add_parser(
        "set-status",
        help="set an action's status in the latest round holding it",
        description="Set an action's status (done and dropped record a completion date, "
        "today unless --completed). The change is made in the latest round's assessment "
        "holding the action, which must be a draft.",
    )
    p.add_argument("action", metavar="ID", help="an action id (or a unique prefix)")
    p.add_argument("status", type=_lower_dash, choices=STATUSES, metavar="|".join(STATUSES))
    p.add_argument("--note", metavar="TEXT", help="replace the action's note")
    p.add_argument("--completed", metavar="DATE", help="completion date (default: today)")
    p.add_argument("--entity", metavar="NAME", help="the entity whose action it is")
    p.add_argument("--keep-mine", action="store_true", help="on a conflict, write yours")
    p.set_defaults(run=cmd_actions_set_status)

    t = sub.add_parser("targets", help="a domain's target stage and date")
    t_sub = t.add_subparsers(dest="targets_command", metavar="ACTION", required=True)
    p = t_sub.add_parser("set", help="set (or clear with none) a domain's target stage and date")
    p.add_argument("assessment", metavar="ID")
    p.add_argument("domain", metavar="DOMAIN", help="a domain key or number")
    p.add_argument("stage", metavar="STAGE|none", help="a stage key or name, or none")
    p.add_argument("--by", metavar="DATE", help="the target date: YYYY-MM-DD or DD/MM/YYYY")
    p.add_argument("--keep-mine", action="store_true", help="on a conflict, write yours")
    p.set_defaults(run=cmd_targets_set)


def cmd_actions_list(args: argparse.Namespace) -> int:
    svc = _open(args, read_only=True)
    try:
        entity_ids = None
        system_id = None
        try:
            if args.entity:
                entity_ids = [svc.catalog.find_entity(name).id for name in args.entity]
            if args.system:
                system_id = svc.catalog.find_system(args.system).id
        except NotFound as exc:
            raise UsageError(str(exc)) from None
        titles = svc.catalog.domain_titles()
        domain = None
        if args.domain:
            wanted = args.domain.strip().casefold()
            found = [k for k, t in titles.items() if wanted in (k.casefold(), t.casefold())]
            if not found:
                raise UsageError(f"{args.domain!r} is not a domain of any framework here")
            domain = found[0]
        rows = svc.plan.plan(
            entity_ids=entity_ids,
            system_id=system_id,
            plan_filter=PlanFilter(
                domain_key=domain,
                owner=args.owner,
                status=ActionStatus(args.status) if args.status else None,
                overdue_only=args.overdue,
            ),
            domain_titles=titles,
        )
        table = plan_table(rows)
        if args.xlsx:
            written = export_plan_xlsx(rows, args.xlsx)
            print(
                f"wrote {len(rows)} action{'s' if len(rows) != 1 else ''} to {written}",
                file=sys.stderr,
            )
        if args.json:
            keys = [h.lower().replace(" ", "_") for h in PLAN_HEADERS]
            print(json.dumps([dict(zip(keys, line, strict=True)) for line in table], indent=1))
            return 0
        if not rows:
            print("no actions")
            return 0
        for r in rows:
            a = r.action
            marks = [a.status.label.lower()]
            if a.due:
                marks.append(f"due {a.due}")
            if r.overdue:
                marks.append("OVERDUE")
            if a.completed_on:
                marks.append(f"completed {a.completed_on}")
            owner = f" — {a.owner}" if a.owner else ""
            print(f"{a.id[:8]}  {r.entity_name} / {r.domain_title}: {a.what}{owner}")
            print(f"          {', '.join(marks)}; since {r.first_round_name}, in {r.round_name}")
            if a.note:
                print(f"          note: {a.note}")
        return 0
    finally:
        svc.close()


def cmd_actions_set_status(args: argparse.Namespace) -> int:
    completed = _iso_date("--completed", args.completed) if args.completed else None
    status = ActionStatus(args.status)
    if completed and status.is_live:
        raise UsageError(f"--completed is for done or dropped, not {status.label.lower()}")
    svc = _open(args)
    try:
        try:
            entity_id = svc.catalog.find_entity(args.entity).id if args.entity else None
            command = svc.plan.set_action_status(
                args.action, status, completed_on=completed, note=args.note, entity_id=entity_id
            )
        except (NotFound, ValidationFailed) as exc:
            raise UsageError(f"{exc} Nothing was changed.") from None
        row = svc.plan.find(args.action, entity_id)
        where = f"action {row.action.id[:8]} ({row.entity_name}, {row.round_name})"
        return _execute_edit(svc, command, args.keep_mine, where)
    finally:
        svc.close()


def cmd_targets_set(args: argparse.Namespace) -> int:
    svc = _open(args)
    try:
        a = _find_assessment(svc, args.assessment)
        fw = svc.assessments.framework_of(a)
        domain = _domain(fw, args.domain)
        stage = None if args.stage.strip().lower() == "none" else args.stage
        if stage is None and args.by:
            raise UsageError("--by needs a target stage; 'none' clears the target and its date")
        by = _iso_date("--by", args.by) if args.by else None
        try:
            prepared = svc.plan.set_target(a.id, domain.key, stage, by)
        except ValidationFailed as exc:
            raise UsageError(f"{exc} Nothing was changed.") from None
        for warning in prepared.warnings:
            print(f"{APP_NAME}: warning: {warning} (saved anyway)", file=sys.stderr)
        where = f"domain {domain.number} {domain.key}"
        return _execute_edit(svc, prepared.edit, args.keep_mine, where)
    finally:
        svc.close()
