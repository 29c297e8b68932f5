"""CLI commands: report peer-review|system|worksheets; export csv|xlsx|png|svg."""

from __future__ import annotations

import argparse
import os

from matrix_desktop.core.errors import ValidationFailed


def _options(args: argparse.Namespace):
    from matrix_desktop.services.reports import DocumentOptions

    deterministic = args.deterministic or bool(os.environ.get("SOURCE_DATE_EPOCH"))
    return DocumentOptions(
        page_size=args.page_size,
        author=args.author,
        deterministic=deterministic,
        include_charts=not args.no_charts,
    )


def _reports(args: argparse.Namespace):
    from matrix_desktop.services.reports import ReportService
    from matrix_desktop.services.safety import open_for_cli

    svc = open_for_cli(args.database, read_only=True)
    return svc, ReportService(svc)


def register(sub: argparse._SubParsersAction) -> None:
    report = sub.add_parser(
        "report", help="write a peer-review report, system summary or worksheets"
    )
    kinds = report.add_subparsers(dest="report_command", metavar="KIND", required=True)

    def common(p: argparse.ArgumentParser, formats: bool = False) -> None:
        if formats:
            p.add_argument("-o", "--output", required=True, metavar="FILE.pdf|FILE.docx")
            p.add_argument(
                "--format",
                choices=("pdf", "docx"),
                help="pdf, or docx for an editable Word document (default: by the file's suffix)",
            )
        else:
            p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
        p.add_argument("--page-size", choices=("a4", "letter"), default="a4")
        p.add_argument(
            "--author", default="", help="name to put in the PDF metadata (none by default)"
        )
        p.add_argument(
            "--deterministic",
            action="store_true",
            help="identical bytes for identical input (fixed dates and ids)",
        )
        p.add_argument("--no-charts", action="store_true", help="leave the charts out (faster)")

    p = kinds.add_parser("peer-review", help="the peer-review report for one entity and round")
    p.add_argument("--entity", required=True, metavar="NAME")
    p.add_argument("--round", required=True, metavar="NAME")
    common(p, formats=True)
    p.set_defaults(run=cmd_peer_review)

    p = kinds.add_parser("system", help="the system summary: the single view of every entity")
    p.add_argument("--system", required=True, metavar="NAME")
    p.add_argument(
        "--round",
        metavar="NAME",
        help="the summary as at this round: each entity's latest final self-assessment up to "
        "it (default: the newest round with assessments)",
    )
    common(p, formats=True)
    p.set_defaults(run=cmd_system)

    p = kinds.add_parser("worksheets", help="printable workshop worksheets for a framework")
    p.add_argument(
        "--framework",
        metavar="KEY",
        help="default: the framework in use (the --entity's newest assessment's, else the "
        "one most assessments use)",
    )
    p.add_argument("--version", metavar="VERSION", help="default: the newest version")
    p.add_argument("--entity", metavar="NAME", help="only the domains for this entity's kind")
    common(p)
    p.set_defaults(run=cmd_worksheets)


def cmd_peer_review(args: argparse.Namespace) -> int:
    svc, reports = _reports(args)
    try:
        path = reports.write_peer_review(
            args.entity, args.round, args.output, _options(args), fmt=args.format
        )
    finally:
        svc.close()
    print(f"wrote {path}")
    return 0


def cmd_system(args: argparse.Namespace) -> int:
    svc, reports = _reports(args)
    try:
        path = reports.write_system_summary(
            args.system, args.round, args.output, _options(args), fmt=args.format
        )
    finally:
        svc.close()
    print(f"wrote {path}")
    return 0


def cmd_worksheets(args: argparse.Namespace) -> int:
    svc, reports = _reports(args)
    try:
        path = reports.write_worksheets(
            args.framework,
            args.output,
            version=args.version,
            entity_name=args.entity,
            options=_options(args),
        )
    finally:
        svc.close()
    print(f"wrote {path}")
    return 0


def cmd_export_data(args: argparse.Namespace) -> int:
    """`export csv|xlsx|png|svg ...`: data tables or a chart (radar for --entity, else heatmap)."""
    if args.assessment:
        raise ValidationFailed("--assessment applies to exchange files; name --entity or --system")
    if len(args.system) > 1:
        raise ValidationFailed("name one --system for csv, xlsx, png or svg")
    system = args.system[0] if args.system else None
    svc, reports = _reports(args)
    try:
        if args.format in ("png", "svg"):
            if not args.output.lower().endswith("." + args.format):
                raise ValidationFailed(f"{args.output}: name a .{args.format} file")
            if len(args.entity) > 1:
                raise ValidationFailed("a chart shows one --entity")
            written = [
                reports.write_chart(
                    args.output,
                    entity_name=args.entity[0] if args.entity else None,
                    system_name=system,
                    round_name=args.round,
                    dpi=args.dpi,
                )
            ]
        else:
            written = reports.write_data(
                args.format,
                args.output,
                entity_names=args.entity,
                system_name=system,
                round_name=args.round,
                table=args.table,
            )
    finally:
        svc.close()
    for path in written:
        print(f"wrote {path}")
    return 0
