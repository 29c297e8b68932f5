"""CLI commands of feedback on the matrix: `feedback list|add|export`.

`feedback add` is the same edit as the workshop's (audited, exit 3 on a conflict); a bad
value exits 2 naming the field, with nothing changed.
"""

from __future__ import annotations

import argparse
import json

from matrix_desktop.cli.edits import _domain, _execute_edit, _find_assessment, _open, _statement
from matrix_desktop.cli.main import UsageError
from matrix_desktop.core.errors import NotFound, ValidationFailed
from matrix_desktop.core.feedback import FeedbackKind, feedback_kind
from matrix_desktop.services.feedback import FEEDBACK_HEADERS, export_feedback, feedback_table

KINDS = [k.value for k in FeedbackKind]


def register(sub: argparse._SubParsersAction) -> None:
    f = sub.add_parser(
        "feedback", help="feedback on the matrix: requests for clarity, suggested rewordings"
    )
    f_sub = f.add_subparsers(dest="feedback_command", metavar="ACTION", required=True)

    p = f_sub.add_parser(
        "list", help="all feedback, per framework version, with where it came from"
    )
    _filters(p)
    p.add_argument("--json", action="store_true", help="as one JSON array")
    p.set_defaults(run=cmd_feedback_list)

    p = f_sub.add_parser(
        "add",
        help="record a request for clarity or a suggested rewording in an assessment",
        description="Record feedback on a statement (or, without --statement, a domain) of "
        "the framework version the assessment uses. The assessment must be a draft.",
    )
    p.add_argument("--assessment", required=True, metavar="ID", help="an assessment id")
    p.add_argument("--domain", required=True, metavar="D", help="a domain key, number or title")
    p.add_argument("--statement", metavar="N", help="a statement id, or its number in the domain")
    p.add_argument("--kind", required=True, metavar="|".join(KINDS))
    p.add_argument("--text", required=True, metavar="T", help="what needs clarity, or why")
    p.add_argument("--wording", metavar="W", default="", help="the suggested wording")
    p.set_defaults(run=cmd_feedback_add)

    p = f_sub.add_parser(
        "withdraw",
        help="withdraw feedback recorded by mistake (audited; the assessment must be a draft)",
    )
    p.add_argument("feedback", metavar="ID", help="a feedback id (or a unique prefix)")
    p.set_defaults(run=cmd_feedback_withdraw)

    p = f_sub.add_parser("export", help="write feedback to a spreadsheet (.xlsx) or .csv file")
    p.add_argument("file", metavar="FILE.xlsx|FILE.csv")
    _filters(p)
    p.set_defaults(run=cmd_feedback_export)


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--framework", metavar="KEY", help="only this framework's feedback")
    p.add_argument("--version", dest="fw_version", metavar="V", help="only this version's")


def _items(svc, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    keys = {fw.key for fw in svc.catalog.frameworks()}
    if args.framework and args.framework not in keys:
        raise UsageError(
            f"--framework: {args.framework!r} is not a framework here "
            f"(`frameworks list` shows the keys)"
        )
    if args.fw_version:
        versions = {
            fw.version
            for fw in svc.catalog.frameworks()
            if args.framework is None or fw.key == args.framework
        }
        if args.fw_version not in versions:
            raise UsageError(f"--version: {args.fw_version!r} is not a version of that framework")
    return svc.feedback.items(args.framework, args.fw_version)


def cmd_feedback_list(args: argparse.Namespace) -> int:
    svc = _open(args, read_only=True)
    try:
        items = _items(svc, args)
    finally:
        svc.close()
    table = feedback_table(items)
    if args.json:
        keys = [h.lower().replace(" ", "_") for h in FEEDBACK_HEADERS]
        print(json.dumps([dict(zip(keys, line, strict=True)) for line in table], indent=1))
        return 0
    if not items:
        print("no feedback")
        return 0
    version = None
    for item, line in zip(items, table, strict=True):
        ref = f"{item.framework_key} {item.framework_version}"
        if ref != version:
            version = ref
            count = sum(
                1
                for i in items
                if (i.framework_key, i.framework_version)
                == (item.framework_key, item.framework_version)
            )
            print(f"{ref}: {count} piece{'s' if count != 1 else ''} of feedback")
        fb = item.feedback
        print(f"  {fb.id[:8]}  {item.domain_title} / {line[3]}")
        print(f"          {line[4]} ({line[7]} on this): {fb.text}")
        if fb.wording:
            print(f"          suggested wording: {fb.wording}")
        print(f"          by {fb.author or '?'}, {item.entity_name}, {item.round_name}")
    return 0


def cmd_feedback_add(args: argparse.Namespace) -> int:
    try:
        kind = feedback_kind(args.kind)
    except ValidationFailed as exc:
        raise UsageError(f"--kind: {exc} Nothing was changed.") from None
    svc = _open(args)
    try:
        a = _find_assessment(svc, args.assessment)
        fw = svc.assessments.framework_of(a)
        domain = _domain(fw, args.domain)
        statement = None
        if args.statement:
            text = args.statement.strip()
            if text.isdigit() and 1 <= int(text) <= len(domain.statements):
                statement = domain.statements[int(text) - 1].id
            else:
                statement = _statement(domain, text)
        try:
            edit = svc.feedback.add(
                a.id, domain.key, kind, args.text, statement_id=statement, wording=args.wording
            )
        except (NotFound, ValidationFailed) as exc:
            raise UsageError(f"{exc} Nothing was changed.") from None
        where = f"feedback {edit.target.item_id} on domain {domain.number} {domain.key}"
        return _execute_edit(svc, edit, False, where)
    finally:
        svc.close()


def cmd_feedback_withdraw(args: argparse.Namespace) -> int:
    svc = _open(args)
    try:
        text = args.feedback.strip()
        found = [i.feedback for i in svc.feedback.items() if i.feedback.id.startswith(text)]
        if len(text) < 4 or len(found) != 1:
            many = len(found) > 1 and len(text) >= 4
            raise UsageError(
                f"feedback {text!r}: "
                + ("starts several feedback ids; give more of it" if many else "no such feedback")
                + " (`feedback list` shows the ids). Nothing was changed."
            )
        try:
            edit = svc.feedback.withdraw(found[0].id)
        except ValidationFailed as exc:
            raise UsageError(f"{exc} Nothing was changed.") from None
        return _execute_edit(svc, edit, False, f"feedback {found[0].id}")
    finally:
        svc.close()


def cmd_feedback_export(args: argparse.Namespace) -> int:
    svc = _open(args, read_only=True)
    try:
        items = _items(svc, args)
    finally:
        svc.close()
    try:
        written = export_feedback(items, args.file)
    except ValidationFailed as exc:
        raise UsageError(f"{exc} Nothing was written.") from None
    print(f"wrote {len(items)} piece{'s' if len(items) != 1 else ''} of feedback to {written}")
    return 0
