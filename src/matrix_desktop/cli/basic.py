"""CLI commands: frameworks, entities, import, export, check."""

from __future__ import annotations

import argparse
import sys

from matrix_desktop.core.errors import MatrixError, NotFound


def _services(args: argparse.Namespace, read_only: bool | None = None):
    from matrix_desktop.services.safety import open_for_cli

    # Writing commands take the database's lock (refused, naming the holder, while another
    # copy has it open); read-only commands proceed.
    from matrix_desktop.storage.database import resolve_location

    ro = args.read_only if read_only is None else (read_only or args.read_only)
    path = resolve_location(args.database).path
    if ro and not args.read_only and path is not None and not path.exists():
        ro = False  # a first run: create the database rather than fail to read it
    return open_for_cli(args.database, read_only=ro)


def register(sub: argparse._SubParsersAction) -> None:
    fw = sub.add_parser("frameworks", help="list or import frameworks")
    fw_sub = fw.add_subparsers(dest="frameworks_command", metavar="ACTION", required=True)
    p = fw_sub.add_parser("list", help="list framework versions in the database")
    p.set_defaults(run=cmd_frameworks_list)
    p = fw_sub.add_parser("import", help="import a framework file (YAML or JSON)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(run=cmd_frameworks_import)
    p = fw_sub.add_parser(
        "export",
        help="write a framework version to a YAML file (edit it, give it a new version, import it)",
    )
    p.add_argument("key", metavar="KEY")
    p.add_argument("--version", dest="fw_version", metavar="VERSION", help="default: the newest")
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.set_defaults(run=cmd_frameworks_export)

    p = sub.add_parser("entities", help="list systems, entities and their assessments")
    p.set_defaults(run=cmd_entities)

    p = sub.add_parser(
        "import",
        help="import exchange files or folders of them (previewed; all or nothing)",
        description="Import exchange files: each assessment is new, updated, unchanged, merged "
        "or in conflict. An assessment changed on both sides since they last shared it is "
        "merged field by field; only a field changed differently on both sides is a conflict "
        "and needs a decision: --resolve for all of them, --decide for one assessment, "
        "--field-choice for one field (mine = this database, theirs = the file). An "
        "assessment shared before field-level merging is decided whole. A backup of the "
        "database is taken first; if anything fails, nothing is imported.",
    )
    p.add_argument("paths", nargs="+", metavar="FILE|DIR")
    p.add_argument("--dry-run", action="store_true", help="show what would change, change nothing")
    choices = [r.value.replace("_", "-") for r in _resolutions()]
    p.add_argument(
        "--resolve",
        choices=choices,
        metavar="CHOICE",
        help=f"decide every conflict the same way: {', '.join(choices)} (keep-mine and "
        "take-theirs decide every conflicting field; keep-both keeps the whole assessment "
        "and imports the file's as a separate copy)",
    )
    p.add_argument(
        "--decide",
        action="append",
        default=[],
        metavar="ID=CHOICE",
        help="decide one conflicting assessment by id (repeatable; overrides --resolve)",
    )
    p.add_argument(
        "--field-choice",
        action="append",
        default=[],
        metavar="ID:DOMAIN:FIELD=mine|theirs",
        help="decide one conflicting field, as the preview lists it (DOMAIN '-' for the "
        "details); repeatable; overrides --resolve and --decide for that field",
    )
    p.add_argument(
        "--take-theirs",
        action="store_true",
        help="same as --resolve take-theirs",
    )
    p.set_defaults(run=cmd_import)

    p = sub.add_parser(
        "export",
        help="export assessments to an exchange file, data as CSV/XLSX, a chart as PNG/SVG",
        description="Export a selection (assessments, entities' rounds, whole systems) to "
        "one exchange file (peer reviews bring the self-assessment they review), the data "
        "as CSV or XLSX, or a chart as PNG or SVG.",
    )
    p.add_argument(
        "format",
        nargs="?",
        default="exchange",
        choices=("exchange", "csv", "xlsx", "png", "svg"),
        help="exchange file (default), csv or xlsx data, or a png/svg chart",
    )
    p.add_argument("--dpi", type=int, default=150, help="png: resolution (default 150)")
    p.add_argument(
        "--table",
        default="all",
        metavar="NAME",
        help="csv/xlsx: one table (ratings, votes, actions, enablers, support_requests)",
    )
    p.add_argument(
        "--entity", action="append", default=[], metavar="NAME", help="an entity (repeatable)"
    )
    p.add_argument(
        "--system",
        action="append",
        default=[],
        metavar="NAME",
        help="every assessment of a system (repeatable)",
    )
    p.add_argument("--round", metavar="NAME", help="only this round (with --entity or --system)")
    p.add_argument(
        "--assessment",
        action="append",
        default=[],
        metavar="ID",
        help="one assessment (repeatable)",
    )
    p.add_argument("--note", default="", help="a note carried in the file")
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.set_defaults(run=cmd_export)

    p = sub.add_parser("check", help="check the database's integrity and schema version")
    p.set_defaults(run=cmd_check)


def cmd_frameworks_list(args: argparse.Namespace) -> int:
    svc = _services(args, read_only=True)
    try:
        rows = svc.catalog.frameworks()
        for fw in rows:
            threshold = fw.threshold_stage and fw.stage(fw.threshold_stage).name or "none"
            print(
                f"{fw.key:<32} {fw.version:<10} {len(fw.domains):>2} domains  "
                f"threshold: {threshold:<10} {fw.name}"
            )
    finally:
        svc.close()
    return 0


def cmd_frameworks_import(args: argparse.Namespace) -> int:
    from matrix_desktop.core.framework_file import read_framework_file

    # Check every file before changing anything.
    frameworks = [read_framework_file(f) for f in args.files]
    svc = _services(args)
    try:
        for fw in frameworks:
            added = svc.catalog.import_framework(fw)
            print(f"{'added' if added else 'already present'}: {fw.title}")
    finally:
        svc.close()
    return 0


def cmd_frameworks_export(args: argparse.Namespace) -> int:
    from matrix_desktop.services.catalog import write_framework_file

    svc = _services(args, read_only=True)
    try:
        fw = svc.catalog.framework(args.key, args.fw_version)
        path = write_framework_file(fw, args.output)
    finally:
        svc.close()
    print(f"wrote {fw.title} to {path}")
    return 0


def cmd_entities(args: argparse.Namespace) -> int:
    svc = _services(args, read_only=True)
    try:
        rounds = {r.id: r.name for r in svc.catalog.rounds()}
        for system in svc.catalog.systems():
            print(system.name)
            for e in svc.catalog.entities(system.id):
                items = svc.assessments.assessments(e.id)
                summary = ", ".join(
                    f"{rounds.get(a.round_id, '?')} {a.kind.label.lower()} ({a.status.value})"
                    for a in items
                )
                print(f"  {e.name} [{e.kind.label}]: {summary or 'no assessments'}")
    finally:
        svc.close()
    return 0


def _resolutions():
    from matrix_desktop.services.exchange import Resolution

    return tuple(Resolution)


def _decisions(args: argparse.Namespace, plan) -> dict[object, str]:
    """Return the decisions from --resolve/--take-theirs/--decide/--field-choice.

    Keys are assessment ids (a whole-assessment choice) and FieldKeys (one field's choice).
    """
    from matrix_desktop.services.exchange import FieldKey

    fields: dict[object, str] = {}
    for text in args.field_choice:
        key_text, sep, choice = text.rpartition("=")
        if not sep:
            raise MatrixError(
                f"--field-choice {text!r}: expected ASSESSMENT_ID:DOMAIN:FIELD=mine|theirs"
            )
        try:
            key = FieldKey.parse(key_text)
        except ValueError as exc:
            raise MatrixError(f"--field-choice {text!r}: {exc}") from None
        fields[key] = choice.strip()
    default = "take_theirs" if args.take_theirs else (args.resolve or "").replace("-", "_")
    decisions: dict[object, str] = {}
    if default:
        with_fields = {k.assessment_id for k in fields}  # type: ignore[attr-defined]
        for i in plan.conflicts:
            # Keep both is whole-assessment: an assessment given field choices is decided
            # by them (with keep mine / take theirs for the rest) instead.
            if not (default == "keep_both" and i.assessment_id in with_fields):
                decisions[i.assessment_id] = default
    for text in args.decide:
        aid, sep, choice = text.partition("=")
        if not sep:
            raise MatrixError(f"--decide {text!r}: expected ID=CHOICE, e.g. {aid}=keep-both")
        decisions[aid.strip()] = choice.strip().replace("-", "_")
    decisions.update(fields)
    return decisions


def cmd_import(args: argparse.Namespace) -> int:
    from matrix_desktop.services.exchange import UnresolvedConflicts

    svc = _services(args)
    try:
        plan = svc.exchange.preview(args.paths)
        for line in plan.lines():
            print(line)
        if args.dry_run:
            print("dry run: nothing was changed")
            return 0
        try:
            result = svc.exchange.apply(plan, _decisions(args, plan))
        except UnresolvedConflicts as exc:
            print(f"matrix-desktop: {exc}", file=sys.stderr)
            print(
                "  rerun with --resolve keep-mine|take-theirs|keep-both, --decide ID=CHOICE, "
                "or --field-choice ID:DOMAIN:FIELD=mine|theirs (fields as listed above)",
                file=sys.stderr,
            )
            return 3
        if result.nothing_changed:
            print("nothing to import: the database already holds all of it")
        else:
            for original, copy in result.copies.items():
                print(f"kept both: {original} stays; their copy is {copy}")
            print(f"imported: {plan.summary()}")
            if result.backup:
                print(f"backup before import: {result.backup}")
    finally:
        svc.close()
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    if args.format != "exchange":
        from matrix_desktop.cli.reports import cmd_export_data

        return cmd_export_data(args)
    svc = _services(args)  # an export records what was shared, for later merges
    try:
        round_id = svc.catalog.find_round(args.round).id if args.round else None
        ids = svc.exchange.select(
            assessment_ids=args.assessment,
            entity_ids=[svc.catalog.find_entity(n).id for n in args.entity],
            system_ids=[svc.catalog.find_system(n).id for n in args.system],
            round_id=round_id,
        )
        if not ids:
            raise NotFound("nothing to export: name --entity, --system or --assessment")
        path = svc.exchange.export(ids, args.output, note=args.note)
        print(f"exported {len(ids)} assessment(s) to {path}")
    finally:
        svc.close()
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    import sqlite3

    from sqlalchemy.exc import DBAPIError

    from matrix_desktop.core.errors import StorageError
    from matrix_desktop.storage.backup import integrity_ok
    from matrix_desktop.storage.checks import DataProblem, data_problems
    from matrix_desktop.storage.database import current_revision, resolve_location
    from matrix_desktop.storage.integrity import foreign_key_problems
    from matrix_desktop.storage.schema import HEAD_REVISION
    from matrix_desktop.storage.server import redact_url

    location = resolve_location(args.database)
    if location.path is not None and not location.path.exists():
        raise StorageError(f"{location.path}: no such database")
    damaged = f"{location.path or location}: the database is damaged; restore a backup"
    if location.path is not None:
        # The file is checked before anything reads it: a damaged page makes any query fail.
        ok, message = integrity_ok(location.path)
        if not ok:
            print(f"database: {location.path}")
            print(f"integrity_check: {message}")
            print(damaged, file=sys.stderr)
            return 1
    try:
        svc = _services(args, read_only=True)
    except sqlite3.DatabaseError as exc:
        print(f"{damaged} ({exc})", file=sys.stderr)
        return 1
    problems: list[DataProblem] = []
    try:
        db = svc.db
        revision = current_revision(db.engine)
        print(f"database: {db.location}")
        print(f"schema:   {revision} (this version writes {HEAD_REVISION})")
        ok = True
        if db.path is not None:
            ok, message = integrity_ok(db.path)
            print(f"integrity_check: {message}")
            broken = foreign_key_problems(db.path)
            print(f"foreign_key_check: {'ok' if not broken else f'{broken} problem(s)'}")
            ok = ok and not broken
        with db.read_engine.connect() as conn:
            problems = data_problems(conn)
        for problem in problems:
            print(f"data_check: {redact_url(str(problem))}")
        if not problems:
            print("data_check: ok (references and allowed values)")
            counts = (
                len(svc.catalog.frameworks()),
                len(svc.catalog.systems()),
                len(svc.catalog.entities()),
                len(svc.assessments.assessments()),
            )
            print("frameworks: {}  systems: {}  entities: {}  assessments: {}".format(*counts))
        ok = ok and not problems
    except MatrixError:
        raise
    except (sqlite3.DatabaseError, DBAPIError) as exc:
        print(f"{damaged} ({redact_url(str(getattr(exc, 'orig', exc)))})", file=sys.stderr)
        return 1
    finally:
        svc.close()
    if not ok:
        print(
            damaged
            if problems == []
            else f"{location.path or location}: the data has "
            f"{len(problems)} kind(s) of problem listed above; restore a backup or correct them",
            file=sys.stderr,
        )
    return 0 if ok else 1
