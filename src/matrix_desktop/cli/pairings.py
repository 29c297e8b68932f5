"""CLI commands of help matched to need: `pairings list|add|set-status`.

A pairing is recorded and changed through the same edit path as the workshop (audited,
compare-and-set; exit 3 on a conflict). A bad value (an unknown entity, round or domain,
the same entity on both sides, entities of two systems) exits 2 with nothing changed.
"""

from __future__ import annotations

import argparse
import json

from matrix_desktop.cli.edits import CONFLICT, _open, _print_conflict
from matrix_desktop.cli.main import UsageError
from matrix_desktop.core.errors import EditConflict, NotFound, ValidationFailed
from matrix_desktop.core.help_match import PairingStatus

STATUSES = [s.value for s in PairingStatus]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "pairings",
        help="help matched to need: list, record and follow pairings between entities",
    )
    p_sub = p.add_subparsers(dest="pairings_command", metavar="ACTION", required=True)

    a = p_sub.add_parser("list", help="recorded pairings, oldest first")
    a.add_argument("--system", metavar="NAME", help="only this system's pairings")
    a.add_argument("--round", metavar="NAME", help="only this round's pairings")
    a.add_argument("--json", action="store_true", help="as one JSON array")
    a.set_defaults(run=cmd_pairings_list)

    a = p_sub.add_parser(
        "add",
        help="record that one entity offered help to another with a domain in a round",
    )
    a.add_argument("--from", dest="offering", required=True, metavar="ENTITY", help="who helps")
    a.add_argument("--to", dest="receiving", required=True, metavar="ENTITY", help="who is helped")
    a.add_argument("--domain", required=True, metavar="DOMAIN", help="a domain key or title")
    a.add_argument("--round", required=True, metavar="ROUND", help="the round's name")
    a.add_argument("--note", default="", metavar="TEXT", help="what was offered")
    a.add_argument(
        "--status", type=str.lower, choices=STATUSES, default="offered", metavar="|".join(STATUSES)
    )
    a.set_defaults(run=cmd_pairings_add)

    a = p_sub.add_parser("set-status", help="set a pairing's status")
    a.add_argument("pairing", metavar="ID", help="a pairing id (or a unique prefix)")
    a.add_argument("status", type=str.lower, choices=STATUSES, metavar="|".join(STATUSES))
    a.set_defaults(run=cmd_pairings_set_status)


def cmd_pairings_list(args: argparse.Namespace) -> int:
    svc = _open(args, read_only=True)
    try:
        try:
            system_id = svc.catalog.find_system(args.system).id if args.system else None
            round_id = svc.catalog.find_round(args.round).id if args.round else None
        except NotFound as exc:
            raise UsageError(str(exc)) from None
        lines = svc.help_match.pairings(system_id=system_id, round_id=round_id)
        if args.json:
            print(
                json.dumps(
                    [
                        {
                            "id": line.pairing.id,
                            "from": line.offering,
                            "to": line.receiving,
                            "domain": line.pairing.domain_key,
                            "domain_title": line.domain_title,
                            "round": line.round_name,
                            "status": line.pairing.status.value,
                            "note": line.pairing.note,
                            "created_by": line.pairing.created_by,
                            "created_at": line.pairing.created_at,
                        }
                        for line in lines
                    ],
                    indent=1,
                )
            )
            return 0
        if not lines:
            print("no pairings")
            return 0
        for line in lines:
            p = line.pairing
            print(f"{p.id[:8]}  {line.sentence} ({line.round_name}): {p.status.value}")
            if p.note:
                print(f"          note: {p.note}")
        return 0
    finally:
        svc.close()


def cmd_pairings_add(args: argparse.Namespace) -> int:
    svc = _open(args)
    try:
        try:
            offering = _entity(svc, "--from", args.offering)
            receiving = _entity(svc, "--to", args.receiving)
            try:
                rnd = svc.catalog.find_round(args.round)
            except NotFound:
                raise UsageError(f"--round: no round named {args.round!r}.") from None
            domain = svc.help_match.find_domain(args.domain, [offering, receiving], rnd.id)
            edit = svc.help_match.record(
                offering, receiving, domain, rnd.id, args.note, PairingStatus(args.status)
            )
            svc.assessments.execute(edit)
        except ValidationFailed as exc:
            raise UsageError(f"{exc} Nothing was changed.") from None
        pid = edit.target.item_id or ""
        line = next(x for x in svc.help_match.pairings() if x.pairing.id == pid)
        print(f"{pid}  {line.sentence} ({line.round_name}): {line.pairing.status.value}")
        return 0
    finally:
        svc.close()


def cmd_pairings_set_status(args: argparse.Namespace) -> int:
    svc = _open(args)
    try:
        try:
            seen = svc.help_match.get(args.pairing)
        except NotFound as exc:
            raise UsageError(f"{exc} Nothing was changed.") from None
        edit = svc.help_match.set_status(seen, args.status)
        try:
            svc.assessments.execute(edit)
        except EditConflict as exc:
            _print_conflict(exc)
            return CONFLICT
        except ValidationFailed as exc:
            raise UsageError(f"{exc} Nothing was changed.") from None
        print(f"pairing {seen.id[:8]}: {edit.detail()}")
        return 0
    finally:
        svc.close()


def _entity(svc, option: str, name: str):  # type: ignore[no-untyped-def]
    try:
        return svc.catalog.find_entity(name)
    except NotFound as exc:
        raise UsageError(f"{option}: {exc}.") from None
