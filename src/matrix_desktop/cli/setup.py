"""CLI commands that set a database up: systems, entities (with members), rounds, the trash.

`systems|entities|rounds list|add|rename|archive|restore`, `entities edit|import|export`,
`rounds edit`, `assessment delete|restore` and `trash`. Names are compared by their name key
(core.names): a name that differs only by case, spacing, invisible characters or look-alike
letters is refused as a duplicate, naming the existing one.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from matrix_desktop.cli.main import UsageError
from matrix_desktop.core.errors import NotFound, ValidationFailed


def _open(args: argparse.Namespace, read_only: bool = False):
    from matrix_desktop.cli.basic import _services

    return _services(args, read_only=read_only)


def _members(values: list[str]) -> list[str]:
    """Return the organisations given by --members (each ';'-separated, repeatable)."""
    return [m.strip() for text in values for m in text.split(";") if m.strip()]


def _simple(
    sub: argparse._SubParsersAction, kind: str, run: Callable[[argparse.Namespace], int]
) -> None:
    """Add the rename, archive and restore actions of a kind."""
    system_option = kind == "entity"
    a = "an" if kind == "entity" else "a"
    p = sub.add_parser("rename", help=f"rename {a} {kind}")
    p.add_argument("name", metavar="NAME")
    p.add_argument("new_name", metavar="NEW_NAME")
    if system_option:
        p.add_argument("--system", metavar="NAME", help="the entity's system, if names repeat")
    p.set_defaults(run=run, action="rename", kind=kind)
    for action, text in (
        ("archive", "keep it (and its assessments) but take it out of the lists"),
        ("restore", "bring an archived one back"),
    ):
        p = sub.add_parser(action, help=f"{action} {a} {kind}: {text}")
        p.add_argument("name", metavar="NAME")
        if system_option:
            p.add_argument("--system", metavar="NAME", help="the entity's system")
        p.set_defaults(run=run, action=action, kind=kind)


def register(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("systems", help="list, add, rename, archive or restore systems")
    s_sub = s.add_subparsers(dest="systems_command", metavar="ACTION", required=True)
    p = s_sub.add_parser("list", help="list systems")
    p.add_argument("--all", action="store_true", help="include archived systems")
    p.set_defaults(run=cmd_systems_list)
    p = s_sub.add_parser("add", help="add a system (an integrated care system)")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--short-name", default="", metavar="TEXT", help="e.g. 'SYB ICS'")
    p.set_defaults(run=cmd_systems_add)
    _simple(s_sub, "system", cmd_change)

    e = sub.add_parser(
        "entities",
        help="list systems' entities and assessments, or add, rename, edit, archive, "
        "restore, import or export entities",
        description="With no ACTION: every system, its entities and their assessments.",
    )
    e.set_defaults(run=cmd_entities_overview)
    e_sub = e.add_subparsers(dest="entities_command", metavar="ACTION")
    p = e_sub.add_parser("list", help="list entities (with --members, their organisations)")
    p.add_argument("--system", metavar="NAME", help="only this system's")
    p.add_argument("--all", action="store_true", help="include archived entities")
    p.add_argument("--members", action="store_true", help="list member organisations too")
    p.set_defaults(run=cmd_entities_list)
    p = e_sub.add_parser("add", help="add a place partnership, provider collaborative or system")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--system", required=True, metavar="NAME", help="the system it belongs to")
    p.add_argument("--kind", required=True, metavar="KIND", help="place, collaborative or system")
    p.add_argument(
        "--members",
        action="append",
        default=[],
        metavar="'ORG; ORG'",
        help="member organisations, separated by ';' (repeatable)",
    )
    p.set_defaults(run=cmd_entities_add)
    p = e_sub.add_parser("edit", help="set an entity's member organisations or kind")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--system", metavar="NAME", help="the entity's system, if names repeat")
    p.add_argument("--members", action="append", metavar="'ORG; ORG'", help="the new members")
    p.add_argument("--kind", metavar="KIND", help="place, collaborative or system")
    p.set_defaults(run=cmd_entities_edit)
    _simple(e_sub, "entity", cmd_change)
    p = e_sub.add_parser(
        "import",
        help="add entities and members from a CSV or XLSX list (previewed; all or nothing)",
        description="One row per member organisation, with the columns system, entity, kind "
        "and organisation. Prints what would be added; with --dry-run nothing is changed. "
        "A list never removes anything: entities and members missing from it stay.",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="show the preview, change nothing")
    p.set_defaults(run=cmd_entities_import)
    p = e_sub.add_parser("export", help="write the entity list as CSV or XLSX (by extension)")
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.add_argument("--system", metavar="NAME", help="only this system's entities")
    p.set_defaults(run=cmd_entities_export)

    r = sub.add_parser("rounds", help="list, add, rename, edit, archive or restore rounds")
    r_sub = r.add_subparsers(dest="rounds_command", metavar="ACTION", required=True)
    p = r_sub.add_parser("list", help="list rounds in order")
    p.add_argument("--all", action="store_true", help="include archived rounds")
    p.set_defaults(run=cmd_rounds_list)
    for action in ("add", "edit"):
        p = r_sub.add_parser(
            action, help="add a round" if action == "add" else "change a round's order or dates"
        )
        p.add_argument("name", metavar="NAME")
        p.add_argument("--order", type=int, metavar="N", help="its place among the rounds")
        p.add_argument("--starts", metavar="DATE", help="start date (YYYY-MM-DD or DD/MM/YYYY)")
        p.add_argument("--ends", metavar="DATE", help="end date")
        p.set_defaults(run=cmd_rounds_add if action == "add" else cmd_rounds_edit)
    _simple(r_sub, "round", cmd_change)

    t = sub.add_parser("trash", help="list the deleted assessments in this database's trash")
    t.set_defaults(run=cmd_trash_list)
    # `assessment delete|restore` join the assessment command (cli.edits registers it first).
    assessment = sub.choices["assessment"]
    actions = next(a for a in assessment._actions if isinstance(a, argparse._SubParsersAction))
    register_trash(actions)


def register_trash(a_sub: argparse._SubParsersAction) -> None:
    """Add `assessment delete` and `assessment restore` to the assessment command."""
    p = a_sub.add_parser("delete", help="move an assessment to the trash (restorable)")
    p.add_argument("assessment", metavar="ID")
    p.add_argument("--reason", default="", metavar="TEXT", help="required for a final one")
    p.set_defaults(run=cmd_assessment_delete)
    p = a_sub.add_parser("restore", help="bring an assessment back from the trash")
    p.add_argument("assessment", metavar="ID", help="an id (or unique prefix) from `trash`")
    p.set_defaults(run=cmd_assessment_restore)


# -- helpers ---------------------------------------------------------------------------------


def _system_id(svc: Any, name: str | None) -> str | None:
    if not name:
        return None
    try:
        return str(svc.setup.find("system", name))
    except NotFound as exc:
        raise UsageError(str(exc)) from None


def _target(svc: Any, args: argparse.Namespace) -> str:
    try:
        return str(
            svc.setup.find(args.kind, args.name, _system_id(svc, getattr(args, "system", None)))
        )
    except NotFound as exc:
        raise UsageError(str(exc)) from None


def _kind(text: str) -> Any:
    from matrix_desktop.services.setup import entity_kind

    try:
        return entity_kind(text)
    except ValidationFailed as exc:
        raise UsageError(str(exc)) from None


def _archived(flag: bool) -> str:
    return "  (archived)" if flag else ""


# -- commands ------------------------------------------------------------------------------


def cmd_systems_list(args: argparse.Namespace) -> int:
    svc = _open(args, read_only=True)
    try:
        for system in svc.catalog.systems():
            if args.all or not system.archived:
                short = f" [{system.short_name}]" if system.short_name else ""
                print(f"{system.name}{short}{_archived(system.archived)}")
    finally:
        svc.close()
    return 0


def cmd_systems_add(args: argparse.Namespace) -> int:
    svc = _open(args)
    try:
        edit = svc.setup.add_system(args.name, args.short_name)
    finally:
        svc.close()
    print(f"added system {edit.after['name']}")
    return 0


def cmd_change(args: argparse.Namespace) -> int:
    """rename, archive or restore a system, entity or round."""
    svc = _open(args)
    try:
        target = _target(svc, args)
        if args.action == "rename":
            edit = svc.setup.rename(args.kind, target, args.new_name)
        elif args.action == "archive":
            edit = svc.setup.archive(args.kind, target)
        else:
            edit = svc.setup.restore(args.kind, target)
    finally:
        svc.close()
    print(edit.text)
    return 0


def cmd_entities_overview(args: argparse.Namespace) -> int:
    from matrix_desktop.cli.basic import cmd_entities

    return cmd_entities(args)


def cmd_entities_list(args: argparse.Namespace) -> int:
    svc = _open(args, read_only=True)
    try:
        only = _system_id(svc, args.system)
        for system in svc.catalog.systems():
            if (only and system.id != only) or (system.archived and not args.all):
                continue
            print(f"{system.name}{_archived(system.archived)}")
            for e in svc.catalog.entities(system.id):
                if e.archived and not args.all:
                    continue
                print(f"  {e.name} [{e.kind.label}]{_archived(e.archived)}")
                if args.members:
                    for member in e.members:
                        print(f"    - {member}")
    finally:
        svc.close()
    return 0


def cmd_entities_add(args: argparse.Namespace) -> int:
    kind = _kind(args.kind)
    svc = _open(args)
    try:
        system_id = _system_id(svc, args.system)
        assert system_id is not None
        edit = svc.setup.add_entity(system_id, args.name, kind, _members(args.members))
    finally:
        svc.close()
    print(f"added {kind.label.lower()} {edit.after['name']}")
    return 0


def cmd_entities_edit(args: argparse.Namespace) -> int:
    if args.members is None and args.kind is None:
        raise UsageError("say what to change: --members and/or --kind")
    kind = _kind(args.kind) if args.kind else None
    svc = _open(args)
    try:
        target = _target(svc, argparse.Namespace(**{**vars(args), "kind": "entity"}))
        members = _members(args.members) if args.members is not None else None
        edit = svc.setup.edit_entity(target, members=members, kind=kind)
    finally:
        svc.close()
    print(edit.text)
    return 0


def cmd_entities_import(args: argparse.Namespace) -> int:
    from matrix_desktop.services.entity_list import plan_entity_list, read_entity_list

    rows = read_entity_list(args.file)
    svc = _open(args, read_only=args.dry_run)
    try:
        plan = plan_entity_list(svc, rows)
        for line in plan.summary():
            print(line)
        if args.dry_run:
            print("dry run: nothing was changed")
            return 0
        if plan.edits:
            svc.setup.apply_many(plan.edits)
            print(f"applied {len(plan.edits)} change{'' if len(plan.edits) == 1 else 's'}")
        else:
            print("nothing to change")
    finally:
        svc.close()
    return 0


def cmd_entities_export(args: argparse.Namespace) -> int:
    from matrix_desktop.services.entity_list import entity_list_rows, write_entity_list

    svc = _open(args, read_only=True)
    try:
        rows = entity_list_rows(svc, _system_id(svc, args.system))
    finally:
        svc.close()
    path = write_entity_list(rows, args.output)
    print(f"wrote {len(rows)} row{'' if len(rows) == 1 else 's'} to {path}")
    return 0


def cmd_rounds_list(args: argparse.Namespace) -> int:
    svc = _open(args, read_only=True)
    try:
        for r in svc.catalog.rounds():
            if r.archived and not args.all:
                continue
            dates = " to ".join(d for d in (r.starts_on, r.ends_on) if d)
            dates = f"  {dates}" if dates else ""
            print(f"{r.sequence:>4}  {r.name}{dates}{_archived(r.archived)}")
    finally:
        svc.close()
    return 0


def cmd_rounds_add(args: argparse.Namespace) -> int:
    svc = _open(args)
    try:
        edit = svc.setup.add_round(args.name, args.order, args.starts, args.ends)
    finally:
        svc.close()
    print(f"added round {edit.after['name']} (order {edit.after['sequence']})")
    return 0


def cmd_rounds_edit(args: argparse.Namespace) -> int:
    changes: dict[str, Any] = {}
    if args.order is not None:
        changes["sequence"] = args.order
    for option, field in (("starts", "starts_on"), ("ends", "ends_on")):
        value = getattr(args, option)
        if value is not None:
            changes[field] = None if value.strip().lower() in ("", "none") else value
    if not changes:
        raise UsageError("say what to change: --order, --starts and/or --ends")
    svc = _open(args)
    try:
        target = _target(svc, argparse.Namespace(**{**vars(args), "kind": "round"}))
        edit = svc.setup.edit_round(target, **changes)
    finally:
        svc.close()
    print(edit.text)
    return 0


def cmd_trash_list(args: argparse.Namespace) -> int:
    svc = _open(args, read_only=True)
    try:
        rounds = {r.id: r.name for r in svc.catalog.rounds()}
        names = {e.id: e.name for e in svc.catalog.entities()}
        entries = svc.trash.entries()
        for t in entries:
            reason = f"  reason: {t.reason}" if t.reason else ""
            print(
                f"{t.assessment_id}  {t.status.value:<5} {rounds.get(t.round_id, '?'):<12} "
                f"{names.get(t.entity_id, '?')}: {t.title}  (deleted {t.deleted_at[:16]} by "
                f"{t.deleted_by}){reason}"
            )
        if not entries:
            print("the trash is empty")
    finally:
        svc.close()
    return 0


def cmd_assessment_delete(args: argparse.Namespace) -> int:
    from matrix_desktop.cli.edits import _find_assessment

    svc = _open(args)
    try:
        assessment = _find_assessment(svc, args.assessment)
        try:
            svc.trash.delete(assessment.id, args.reason)
        except ValidationFailed as exc:
            raise UsageError(str(exc)) from None
    finally:
        svc.close()
    print(f"moved {assessment.title or assessment.id} to the trash ({assessment.id})")
    return 0


def cmd_assessment_restore(args: argparse.Namespace) -> int:
    svc = _open(args)
    try:
        text = args.assessment.strip()
        ids = [t.assessment_id for t in svc.trash.entries()]
        found = [i for i in ids if i == text] or [
            i for i in ids if len(text) >= 4 and i.startswith(text)
        ]
        if len(found) != 1:
            what = "several" if found else "no"
            raise UsageError(
                f"{what} assessment in the trash with id {text!r} (`trash` lists them)"
            )
        svc.trash.restore(found[0])
    finally:
        svc.close()
    print(f"restored {found[0]}")
    return 0
