"""CLI commands that read and edit assessments: assessment, rating set, vote set.

Every edit goes through the same service path as the GUI: a patch of the fields named, from
the values the user saw (the stored row read just before, or what --expect FIELD=VALUE
says) to the values given, applied with compare-and-set in one audited transaction. When
someone else changed one of those fields in between, nothing is written and the command
exits 3 printing the field's base, theirs and mine; --keep-mine writes yours over theirs.
A bad argument or value exits 2 with nothing changed; other failures exit 1.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import sys
from typing import Any

from matrix_desktop import APP_NAME
from matrix_desktop.cli.main import UsageError
from matrix_desktop.core.errors import (
    EditConflict,
    FinalisedError,
    NotFound,
    StaleError,
    ValidationFailed,
)
from matrix_desktop.core.framework import Domain, Framework
from matrix_desktop.core.model import (
    Action,
    Assessment,
    AssessmentRecord,
    Confidence,
    Direction,
    Participant,
    Vote,
    new_id,
    rating_as_dict,
)

CONFLICT = 3
NONE = "none"
# Fields --expect can name (what the user saw), per command.
RATING_EXPECT = ("stage", "confidence", "direction", "evidence", "rationale", "statements_met")
VOTE_EXPECT = ("stage",)
FREE_TEXT = {"evidence", "rationale", "review_comment", "review_suggestions"}


def _lower_dash(text: str) -> str:
    return text.strip().lower().replace("-", "_")


def register(sub: argparse._SubParsersAction) -> None:
    a = sub.add_parser("assessment", help="create, list, show, finalise or reopen assessments")
    a_sub = a.add_subparsers(dest="assessment_command", metavar="ACTION", required=True)

    p = a_sub.add_parser("new", help="create a draft self-assessment; prints its id")
    p.add_argument("--entity", required=True, metavar="NAME")
    p.add_argument("--framework", required=True, metavar="KEY")
    p.add_argument("--version", dest="fw_version", metavar="V", help="default: the newest")
    p.add_argument("--round", required=True, metavar="NAME", help="e.g. '2021/22 Q2'")
    p.add_argument("--facilitator", default="", metavar="NAME")
    p.add_argument(
        "--participant",
        action="append",
        default=[],
        metavar="NAME[:ORG]",
        help="someone in the room (repeatable)",
    )
    p.add_argument("--title", default="", help="default: the entity and round")
    p.add_argument("--date", metavar="DATE", help="assessed on: YYYY-MM-DD or DD/MM/YYYY")
    p.set_defaults(run=cmd_assessment_new)

    p = a_sub.add_parser("list", help="list assessments with their ids, status and revision")
    p.add_argument("--entity", metavar="NAME", help="only this entity's")
    p.set_defaults(run=cmd_assessment_list)

    p = a_sub.add_parser("show", help="an assessment: status, revision, each domain, the views")
    p.add_argument("assessment", metavar="ID", help="an assessment id (or a unique prefix)")
    p.add_argument("--json", action="store_true", help="as one JSON object")
    p.set_defaults(run=cmd_assessment_show)

    p = a_sub.add_parser("finalise", help="make a draft final (read-only)")
    p.add_argument("assessment", metavar="ID")
    p.add_argument(
        "--seen-revision",
        type=int,
        metavar="N",
        help="refuse (exit 3) if the assessment changed after revision N",
    )
    p.set_defaults(run=cmd_assessment_finalise)

    p = a_sub.add_parser("reopen", help="make a final assessment a draft again, saying why")
    p.add_argument("assessment", metavar="ID")
    p.add_argument("--reason", required=True, metavar="TEXT")
    p.set_defaults(run=cmd_assessment_reopen)

    r = sub.add_parser("rating", help="change a domain's rating")
    r_sub = r.add_subparsers(dest="rating_command", metavar="ACTION", required=True)
    p = r_sub.add_parser(
        "set",
        help="change fields of one domain's rating (only the fields given)",
        description="Change fields of one domain's rating. Fields someone else changed since "
        "they were read (or since the value given by --expect) are a conflict: exit 3, "
        "nothing written, unless --keep-mine.",
    )
    p.add_argument("assessment", metavar="ID")
    p.add_argument("domain", metavar="DOMAIN", help="a domain key or number")
    p.add_argument("--stage", metavar="KEY|none", help="a stage key, name or number, or none")
    p.add_argument("--evidence", metavar="TEXT")
    p.add_argument("--rationale", metavar="TEXT")
    p.add_argument(
        "--confidence",
        type=_lower_dash,
        choices=[*(c.value for c in Confidence), NONE],
        metavar="low|medium|high|none",
    )
    p.add_argument(
        "--direction",
        type=_lower_dash,
        choices=[*(d.value for d in Direction), NONE],
        metavar="improving|no_change|deteriorating|none",
    )
    p.add_argument("--add-action", metavar="WHAT", help="append an agreed action")
    p.add_argument("--owner", default="", metavar="WHO", help="the new action's owner")
    p.add_argument("--due", metavar="DATE", help="the new action's due date (or DD/MM/YYYY)")
    p.add_argument(
        "--met",
        action="extend",
        nargs="+",
        default=[],
        metavar="STATEMENT_ID",
        help="tick statements as met (full id, or e.g. developing.2 within the domain)",
    )
    p.add_argument(
        "--unmet", action="extend", nargs="+", default=[], metavar="STATEMENT_ID", help="untick"
    )
    _conflict_options(p, RATING_EXPECT)
    p.set_defaults(run=cmd_rating_set)

    v = sub.add_parser("vote", help="record a participant's view of a domain")
    v_sub = v.add_subparsers(dest="vote_command", metavar="ACTION", required=True)
    p = v_sub.add_parser("set", help="set (or clear with none) one participant's view")
    p.add_argument("assessment", metavar="ID")
    p.add_argument("participant", metavar="PARTICIPANT", help="a participant's name or id")
    p.add_argument("domain", metavar="DOMAIN", help="a domain key or number")
    p.add_argument("stage", metavar="STAGE|none")
    _conflict_options(p, VOTE_EXPECT)
    p.set_defaults(run=cmd_vote_set)


def _conflict_options(p: argparse.ArgumentParser, fields: tuple[str, ...]) -> None:
    p.add_argument(
        "--expect",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help=f"the value you saw (default: the stored one, read now); FIELD: {', '.join(fields)}",
    )
    p.add_argument(
        "--keep-mine",
        action="store_true",
        help="on a conflict, write your values over theirs (still refused if changed again)",
    )


# -- opening and finding ---------------------------------------------------------------
def _open(args: argparse.Namespace, read_only: bool = False):
    # Writing commands take the lock of a SQLite database, like every writing command.
    from matrix_desktop.cli.basic import _services

    return _services(args, read_only=read_only)


def _find_assessment(svc, text: str) -> Assessment:
    """Return the assessment with this id, or the one whose id starts with it."""
    text = text.strip()
    if not text:
        raise UsageError("name an assessment by its id")
    try:
        return svc.assessments.get(text)
    except NotFound:
        pass
    found = [a for a in svc.assessments.assessments() if a.id.startswith(text)]
    if len(found) == 1 and len(text) >= 4:
        return found[0]
    if len(found) > 1:
        raise UsageError(f"{text!r} starts several assessment ids; give more of it")
    raise UsageError(f"no assessment with id {text!r} (`assessment list` shows the ids)")


def _domain(fw: Framework, text: str) -> Domain:
    """Return the domain named by key, number or title."""
    t = text.strip()
    found = [d for d in fw.domains if (str(d.number) == t if t.isdigit() else d.key == t)]
    if not found:
        found = [d for d in fw.domains if t.lower() in (d.key.lower(), d.title.lower())]
    if not found:
        names = ", ".join(f"{d.number} {d.key}" for d in fw.domains)
        raise UsageError(f"{text!r} is not a domain of {fw.title}; its domains: {names}")
    return found[0]


def _stage(fw: Framework, text: str) -> str | None:
    """Return the stage key named by key, name or position; None for 'none'."""
    t = text.strip()
    if t.lower() == NONE:
        return None
    for s in fw.stages:
        if t == s.key or t.lower() == s.name.lower() or t == str(s.position):
            return s.key
    names = ", ".join(f"{s.position} {s.key}" for s in fw.stages)
    raise UsageError(f"{text!r} is not a stage of {fw.title}; its stages: {names}, or none")


def _statement(domain: Domain, text: str) -> str:
    ids = {s.id for s in domain.statements}
    t = text.strip()
    for candidate in (t, f"{domain.key}.{t}"):
        if candidate in ids:
            return candidate
    example = domain.statements[0].id if domain.statements else f"{domain.key}.developing.1"
    raise UsageError(
        f"{text!r} is not a statement of domain {domain.number} {domain.key} "
        f"(ids look like {example}; `assessment show` lists the ticked ones)"
    )


def _participant(assessment: Assessment, text: str) -> Participant:
    t = text.strip()
    people = assessment.participants
    for test in (
        lambda p: p.id == t,
        lambda p: p.name.strip().lower() == t.lower(),
        lambda p: len(t) >= 4 and p.id.startswith(t),
    ):
        found = [p for p in people if test(p)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            ids = ", ".join(p.id for p in found)
            raise UsageError(f"{text!r} names several participants; give the id: {ids}")
    names = ", ".join(p.name for p in people) or "nobody"
    raise UsageError(f"{text!r} is not a participant of this assessment (participants: {names})")


def _fallback_iso_date(text: str) -> str:
    t = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return _dt.datetime.strptime(t, fmt).date().isoformat()
        except ValueError:
            pass
    raise ValueError(f"{t or '(empty)'}: not a date; write YYYY-MM-DD or DD/MM/YYYY")


def _iso_date(option: str, text: str) -> str:
    """Return a date typed as ISO or UK day/month/year as YYYY-MM-DD; UsageError if not one."""
    try:
        from matrix_desktop.core.dates import iso_date
    except ImportError:  # pragma: no cover - a tree without core.dates
        iso_date = _fallback_iso_date
    try:
        return iso_date(text)
    except ValueError as exc:
        raise UsageError(f"{option} {exc}") from None


def _expected(
    texts: list[str], allowed: tuple[str, ...], parse: dict[str, Any], changing: set[str]
) -> dict[str, object]:
    """Return --expect FIELD=VALUE pairs as field values (what the user saw)."""
    out: dict[str, object] = {}
    for text in texts:
        name, sep, value = text.partition("=")
        name = _lower_dash(name)
        name = "statements_met" if name in ("met", "statements") else name
        if not sep or not name:
            raise UsageError(f"--expect {text!r}: write FIELD=VALUE, e.g. evidence='old text'")
        if name not in allowed:
            raise UsageError(f"--expect {name}: not a field here; fields: {', '.join(allowed)}")
        if name not in changing:
            raise UsageError(f"--expect {name}: this command does not change {name}")
        out[name] = parse[name](value)
    return out


# -- conflicts and executing -----------------------------------------------------------
def _shown(field: str, value: object) -> str:
    """Return a field's value as one line; free text quoted (so '' and spaces show)."""
    from matrix_desktop.core.commands import short

    if value is None:
        return NONE
    if isinstance(value, tuple):
        return "[" + short(value, 200) + "]" if value else "[]"
    text = short(value, 200)
    return repr(text) if field in FREE_TEXT else text


def _print_conflict(exc: EditConflict) -> None:
    print(
        f"{APP_NAME}: conflict: someone else changed {exc.where} since you saw it; "
        "nothing was written",
        file=sys.stderr,
    )
    target = getattr(exc.command, "target", None)
    for c in exc.conflicts:
        items = f" (items: {', '.join(c.items)})" if c.items else ""
        label = c.label
        if target is not None and target.kind == "vote":
            label = f"{getattr(exc.command, 'who', '') or 'participant'}'s view"
        print(f"  {c.field} ({label}){items}", file=sys.stderr)
        print(f"    base:   {_shown(c.field, c.base)}   (what you saw)", file=sys.stderr)
        print(f"    theirs: {_shown(c.field, c.theirs)}   (stored now)", file=sys.stderr)
        print(f"    mine:   {_shown(c.field, c.mine)}", file=sys.stderr)


def _execute_edit(svc, command, keep_mine: bool, where: str) -> int:
    """Apply an edit; on a conflict print it and exit 3, or with keep_mine write mine."""
    try:
        try:
            change = svc.assessments.execute(command)
        except EditConflict as exc:
            _print_conflict(exc)
            if not keep_mine:
                print("  rerun with --keep-mine to write yours over theirs", file=sys.stderr)
                return CONFLICT
            command = exc.command.keep_mine(exc.conflicts)
            try:
                change = svc.assessments.execute(command)
            except EditConflict as again:
                print(f"{APP_NAME}: changed again while keeping yours:", file=sys.stderr)
                _print_conflict(again)
                return CONFLICT
            print("kept yours over theirs")
    except FinalisedError:
        raise  # exit 1: reopen it first
    except ValidationFailed as exc:
        raise UsageError(f"{exc} Nothing was changed.") from None
    print(f"{where}: {command.detail()} (revision {change.revision})")
    return 0


# -- commands --------------------------------------------------------------------------
def cmd_assessment_new(args: argparse.Namespace) -> int:
    people = []
    for text in args.participant:
        name, _sep, org = text.partition(":")
        people.append((name.strip(), org.strip()))
    assessed_on = _iso_date("--date", args.date) if args.date else None
    svc = _open(args)
    try:
        try:
            entity = svc.catalog.find_entity(args.entity)
            fw = svc.catalog.framework(args.framework, args.fw_version)
        except NotFound as exc:
            raise UsageError(str(exc)) from None
        try:
            a = svc.assessments.create(
                entity.id,
                fw,
                args.round,
                facilitator=args.facilitator,
                participants=people,
                assessed_on=assessed_on,
                title=args.title,
            )
        except ValidationFailed as exc:
            raise UsageError(str(exc)) from None
    finally:
        svc.close()
    print(a.id)
    return 0


def cmd_assessment_list(args: argparse.Namespace) -> int:
    svc = _open(args, read_only=True)
    try:
        entity_id = None
        if args.entity:
            try:
                entity_id = svc.catalog.find_entity(args.entity).id
            except NotFound as exc:
                raise UsageError(str(exc)) from None
        rounds = {r.id: r.name for r in svc.catalog.rounds()}
        names = {e.id: e.name for e in svc.catalog.entities()}
        for a in svc.assessments.assessments(entity_id):
            print(
                f"{a.id}  {a.status.value:<5} rev {a.revision:<4} "
                f"{rounds.get(a.round_id, '?'):<12} {a.kind.label:<15} "
                f"{names.get(a.entity_id, '?')}: {a.title}"
            )
    finally:
        svc.close()
    return 0


def _domains_of(svc, record: AssessmentRecord, fw: Framework) -> list[Domain]:
    kind = svc.catalog.entity(record.assessment.entity_id).kind
    rated = {r.domain_key for r in record.ratings} | {v.domain_key for v in record.votes}
    return [d for d in fw.domains if d.applies(kind) or d.key in rated]


def cmd_assessment_show(args: argparse.Namespace) -> int:
    svc = _open(args, read_only=True)
    try:
        a = _find_assessment(svc, args.assessment)
        record = svc.assessments.record(a.id)
        a = record.assessment
        fw = svc.assessments.framework_of(a)
        entity = svc.catalog.entity(a.entity_id)
        round_name = svc.catalog.round(a.round_id).name
        domains = _domains_of(svc, record, fw)
    finally:
        svc.close()
    people = {p.id: p.name for p in a.participants}
    data = {
        "id": a.id,
        "title": a.title,
        "kind": a.kind.value,
        "status": a.status.value,
        "revision": a.revision,
        "entity": entity.name,
        "round": round_name,
        "framework": {"key": fw.key, "version": fw.version},
        "assessed_on": a.assessed_on,
        "facilitator": a.facilitator,
        "participants": [
            {"id": p.id, "name": p.name, "organisation": p.organisation} for p in a.participants
        ],
        "created_at": a.created_at,
        "modified_at": a.modified_at,
        "strengths": a.strengths,
        "areas_to_develop": a.areas_to_develop,
        "recommendations": a.recommendations,
        "domains": [
            {
                "number": d.number,
                "key": d.key,
                "title": d.title,
                **rating_as_dict(record.rating(d.key)),
                "votes": [
                    {
                        "participant_id": v.participant_id,
                        "participant": people.get(v.participant_id, "?"),
                        "stage": v.stage,
                    }
                    for v in record.votes_for(d.key)
                ],
            }
            for d in domains
        ],
    }
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return 0
    print(f"{a.title}  [{a.id}]")
    print(f"  {entity.name}, {round_name}, {fw.title}, {a.kind.label.lower()}")
    print(f"  status: {a.status.value}   revision: {a.revision}   modified: {a.modified_at}")
    if a.facilitator or a.assessed_on:
        print(f"  facilitator: {a.facilitator or '—'}   date: {a.assessed_on or '—'}")
    for p in a.participants:
        print(f"  participant: {p.name}" + (f" ({p.organisation})" if p.organisation else ""))
    for d, item in zip(domains, data["domains"], strict=True):
        print(f"{d.number:>2} {d.key}: {item['stage'] or 'not assessed'}")
        for name in ("confidence", "direction", "evidence", "rationale"):
            if item[name]:
                print(f"     {name}: " + str(item[name]).replace("\n", "\n" + " " * 7))
        if item["statements_met"]:
            print(f"     statements met: {', '.join(item['statements_met'])}")
        for x in item["actions"]:
            extra = ", ".join(s for s in (x["owner"], x["due"] and f"due {x['due']}") if s)
            print(f"     action: {x['what']}" + (f" ({extra})" if extra else ""))
        if item["votes"]:
            views = "; ".join(f"{v['participant']}: {v['stage']}" for v in item["votes"])
            print(f"     views: {views}")
    return 0


def cmd_assessment_finalise(args: argparse.Namespace) -> int:
    svc = _open(args)
    try:
        a = _find_assessment(svc, args.assessment)
        try:
            change = svc.assessments.execute(svc.assessments.finalise(a.id, args.seen_revision))
        except StaleError as exc:
            print(f"{APP_NAME}: conflict: {exc} Nothing was changed.", file=sys.stderr)
            return CONFLICT
    finally:
        svc.close()
    print(f"finalised {a.title} (revision {change.revision})")
    return 0


def cmd_assessment_reopen(args: argparse.Namespace) -> int:
    svc = _open(args)
    try:
        a = _find_assessment(svc, args.assessment)
        if not args.reason.strip():
            raise UsageError("--reason: say why the assessment is being reopened")
        change = svc.assessments.execute(svc.assessments.reopen(a.id, args.reason))
    finally:
        svc.close()
    print(f"reopened {a.title} (revision {change.revision})")
    return 0


def cmd_rating_set(args: argparse.Namespace) -> int:
    if args.add_action is None and (args.owner or args.due):
        raise UsageError("--owner and --due describe a new action: give --add-action WHAT too")
    if args.add_action is not None and not args.add_action.strip():
        raise UsageError("--add-action: say what the action is")
    due = _iso_date("--due", args.due) if args.due else None
    wanted = [
        n
        for n in ("stage", "evidence", "rationale", "confidence", "direction")
        if getattr(args, n) is not None
    ]
    if not wanted and args.add_action is None and not args.met and not args.unmet:
        raise UsageError(
            "nothing to change: give --stage, --evidence, --rationale, --confidence, "
            "--direction, --add-action, --met or --unmet"
        )
    svc = _open(args)
    try:
        a = _find_assessment(svc, args.assessment)
        fw = svc.assessments.framework_of(a)
        domain = _domain(fw, args.domain)
        met = [_statement(domain, s) for s in args.met]
        unmet = [_statement(domain, s) for s in args.unmet]
        both = sorted(set(met) & set(unmet))
        if both:
            raise UsageError(f"{both[0]} is both --met and --unmet")
        changes: dict[str, object] = {}
        if args.stage is not None:
            changes["stage"] = _stage(fw, args.stage)
        for name in ("evidence", "rationale"):
            if getattr(args, name) is not None:
                changes[name] = getattr(args, name)
        if args.confidence is not None:
            changes["confidence"] = None if args.confidence == NONE else Confidence(args.confidence)
        if args.direction is not None:
            changes["direction"] = None if args.direction == NONE else Direction(args.direction)
        changing = set(changes) | ({"statements_met"} if met or unmet else set())
        parse: dict[str, Any] = {
            "stage": lambda v: _stage(fw, v),
            "confidence": lambda v: None if _lower_dash(v) in (NONE, "") else _enum(Confidence, v),
            "direction": lambda v: None if _lower_dash(v) in (NONE, "") else _enum(Direction, v),
            "evidence": str,
            "rationale": str,
            "statements_met": lambda v: tuple(
                _statement(domain, s) for s in v.split(",") if s.strip()
            ),
        }
        expected = _expected(args.expect, RATING_EXPECT, parse, changing)
        # What the user saw: the stored rating read now, with what --expect says instead.
        seen = svc.assessments.record(a.id).rating(domain.key).evolve(**expected)
        if met or unmet:
            kept = tuple(s for s in seen.statements_met if s not in unmet)
            changes["statements_met"] = kept + tuple(s for s in met if s not in kept)
        if args.add_action is not None:
            action = Action(new_id(), args.add_action.strip(), args.owner.strip(), due)
            changes["actions"] = (*seen.actions, action)
        changes = {k: v for k, v in changes.items() if v != getattr(seen, k)}
        where = f"domain {domain.number} {domain.key}"
        if not changes:
            print(f"{where}: nothing to change (it already has those values)")
            return 0
        command = svc.assessments.edit_rating(a.id, domain.key, seen=seen, **changes)
        return _execute_edit(svc, command, args.keep_mine, where)
    finally:
        svc.close()


def _enum(kind, text: str):
    try:
        return kind(_lower_dash(text))
    except ValueError:
        allowed = ", ".join(k.value for k in kind)
        raise UsageError(f"{text!r}: expected one of {allowed}, none") from None


def cmd_vote_set(args: argparse.Namespace) -> int:
    svc = _open(args)
    try:
        a = _find_assessment(svc, args.assessment)
        fw = svc.assessments.framework_of(a)
        domain = _domain(fw, args.domain)
        person = _participant(a, args.participant)
        stage = _stage(fw, args.stage)
        parse = {"stage": lambda v: _stage(fw, v)}
        expected = _expected(args.expect, VOTE_EXPECT, parse, {"stage"})
        record = svc.assessments.record(a.id)
        stored = next(
            (v for v in record.votes_for(domain.key) if v.participant_id == person.id),
            Vote(a.id, person.id, domain.key, None),
        )
        seen = Vote(a.id, person.id, domain.key, expected.get("stage", stored.stage))  # type: ignore[arg-type]
        where = f"domain {domain.number} {domain.key}, {person.name}'s view"
        if stage == seen.stage:
            print(f"{where}: nothing to change (it is already {stage or NONE})")
            return 0
        command = svc.assessments.set_vote(
            a.id, person.id, domain.key, stage, seen=seen, who=person.name
        )
        return _execute_edit(svc, command, args.keep_mine, where)
    finally:
        svc.close()
