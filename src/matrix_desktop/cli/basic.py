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
    p = fw_sub.add_parser(
        "import",
        help="import framework files: YAML, JSON, or a spreadsheet (XLSX, CSV); previewed",
        description="Import frameworks from YAML or JSON framework files or from spreadsheets "
        "laid out as the published matrices are: a row per domain and a column per stage, "
        "statements one per line in a cell (sheet 'Matrix'), or a row per statement with "
        "Domain, Stage and Statement columns (sheet 'Statements'; a CSV is one such sheet). "
        "A 'Framework' sheet (Field | Value) and a 'Stages' sheet give the details; without "
        "them give them here, or the key of a stored framework, whose details a new version "
        "keeps. Every file is checked first; if any is refused, nothing is imported.",
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="show the preview, change nothing")
    for option, meta, text in (
        ("--key", "KEY", "the framework's key (e.g. syb-place-development-matrix)"),
        ("--version", "VERSION", "the version being imported"),
        ("--name", "NAME", "the framework's name"),
        ("--publisher", "NAME", "who published it"),
        ("--published", "YYYY-MM-DD", "when it was published"),
        (
            "--applies-to",
            "KINDS",
            "comma-separated: place partnership, provider collaborative, integrated care system",
        ),
        ("--source", "TEXT", "where it comes from (default: the file's name)"),
    ):
        dest = "fw_" + option[2:].replace("-", "_")
        p.add_argument(option, dest=dest, metavar=meta, help=f"spreadsheets: {text}")
    p.set_defaults(run=cmd_frameworks_import)
    p = fw_sub.add_parser(
        "export",
        help="write a framework version to a YAML file or an XLSX workbook (edit it, give it a "
        "new version, import it)",
    )
    p.add_argument("key", metavar="KEY")
    p.add_argument("version", nargs="?", metavar="VERSION", help="default: the newest")
    p.add_argument("--version", dest="fw_version", metavar="VERSION", help="same as VERSION")
    p.add_argument(
        "--format",
        choices=("yaml", "xlsx"),
        help="yaml or xlsx (a row per domain, a column per stage); default: from the file name",
    )
    p.add_argument(
        "--layout",
        choices=("auto", "matrix", "statements"),
        default="auto",
        help="xlsx: a row per domain (matrix), a row per statement (statements), or matrix "
        "unless a statement cannot be one line of a cell (auto, the default)",
    )
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.set_defaults(run=cmd_frameworks_export)
    p = fw_sub.add_parser(
        "diff",
        help="show what changed between two versions of a framework",
        description="Domains and statements added, removed, reworded (paired by similarity "
        "of their words) or moved to another stage, and changed details.",
    )
    p.add_argument("key", metavar="KEY")
    p.add_argument("old", metavar="V1", help="the older version")
    p.add_argument("new", metavar="V2", help="the newer version")
    p.set_defaults(run=cmd_frameworks_diff)

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


def _given(args: argparse.Namespace) -> dict[str, str]:
    fields = ("key", "version", "name", "publisher", "published", "applies_to", "source")
    return {f: getattr(args, "fw_" + f) for f in fields if getattr(args, "fw_" + f, None)}


def cmd_frameworks_import(args: argparse.Namespace) -> int:
    from matrix_desktop.core.errors import ValidationFailed

    given = _given(args)
    svc = _services(args, read_only=args.dry_run)
    try:
        # Check every file before changing anything.
        previews = [svc.framework_sheets.preview(f, given) for f in args.files]
        for preview in previews:
            print(f"{preview.path}:")
            lines = preview.lines()
            if preview.status == "new version" and preview.previous is not None:
                # The stored version's feedback on the matrix, beside its statements.
                beside = svc.feedback.lines_for(preview.previous, preview.framework)
                lines += [""] + beside if beside else []
            for line in lines:
                print(f"  {line}" if line else "")
        refused = [p for p in previews if not p.can_apply]
        if refused:
            raise ValidationFailed(
                f"{refused[0].path}: {refused[0].framework.title} is already in this database "
                "with different content; give it a new version. Nothing was imported."
            )
        if args.dry_run:
            print("Dry run: nothing was changed.")
            return 0
        for preview in previews:
            added = svc.framework_sheets.apply(preview)
            print(f"{'added' if added else 'already present'}: {preview.framework.title}")
    finally:
        svc.close()
    return 0


def cmd_frameworks_export(args: argparse.Namespace) -> int:
    from matrix_desktop.cli.main import UsageError
    from matrix_desktop.services.catalog import write_framework_file
    from matrix_desktop.services.framework_sheets import write_framework_xlsx

    if args.version and args.fw_version and args.version != args.fw_version:
        raise UsageError(f"two versions given ({args.version} and {args.fw_version}); give one")
    fmt = args.format or ("xlsx" if args.output.lower().endswith(".xlsx") else "yaml")
    svc = _services(args, read_only=True)
    try:
        fw = svc.catalog.framework(args.key, args.version or args.fw_version)
        if fmt == "xlsx":
            path = write_framework_xlsx(fw, args.output, args.layout)
        else:
            path = write_framework_file(fw, args.output)
    finally:
        svc.close()
    print(f"wrote {fw.title} to {path}")
    return 0


def cmd_frameworks_diff(args: argparse.Namespace) -> int:
    svc = _services(args, read_only=True)
    try:
        diff = svc.framework_sheets.diff(args.key, args.old, args.new)
        # The old version's feedback on the matrix, beside what became of each statement.
        feedback = svc.feedback.diff_lines(args.key, args.old, args.new)
    finally:
        svc.close()
    print(diff.text())
    if feedback:
        print("\n" + "\n".join(feedback))
    return 0


def cmd_entities(args: argparse.Namespace) -> int:
    svc = _services(args, read_only=True)
    try:
        rounds = {r.id: r.name for r in svc.catalog.rounds()}
        for system in svc.catalog.systems():
            print(system.name + ("  (archived)" if system.archived else ""))
            for e in svc.catalog.entities(system.id):
                items = svc.assessments.assessments(e.id)
                summary = ", ".join(
                    f"{rounds.get(a.round_id, '?')} {a.kind.label.lower()} ({a.status.value})"
                    for a in items
                )
                mark = "  (archived)" if e.archived else ""
                print(f"  {e.name} [{e.kind.label}]{mark}: {summary or 'no assessments'}")
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
