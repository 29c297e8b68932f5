"""The report sections of help matched to need: who could help, and help offered and received."""

from __future__ import annotations

from matrix_desktop.core.help_match import DRAFTS_NOTE, NOBODY
from matrix_desktop.reports import content as c
from matrix_desktop.reports.models import PairingEntry, PeerReviewReport, SystemSummaryReport


def help_matched_section(report: SystemSummaryReport) -> list[c.Block]:
    """Return the system summary's "Help matched to need": each request, who could help."""
    out: list[c.Block] = [
        c.Heading("Help matched to need", 0),
        c.Para(
            f"Each request for support recorded in {report.round}, with the entities of the "
            "system that rated the same domain Maturing or Thriving in that round and the key "
            f"enablers they recorded for it. {DRAFTS_NOTE}",
            "muted",
        ),
    ]
    if report.help:
        out.append(
            c.Table(
                ("Domain", "Request (asked by)", "Could help (stage): enablers"),
                tuple(
                    (h.domain, f"{h.request} ({h.asker})", h.helpers or (NOBODY,))
                    for h in report.help
                ),
                (38, 60, None),
            )
        )
    else:
        out.append(c.Para(f"No request for support was recorded in {report.round}.", "muted"))
    out.append(c.Heading("Pairings recorded", 1, toc=False))
    out += _pairings(report.pairings, f"No pairing has been recorded for {report.round}.")
    return out


def help_offered_section(report: PeerReviewReport) -> list[c.Block]:
    """Return the peer-review report's "Help offered and received"."""
    out: list[c.Block] = [
        c.Heading("Help offered and received", 1),
    ]
    out += _pairings(
        report.pairings,
        f"No pairing with {report.entity} has been recorded up to {report.round}.",
        with_role=True,
    )
    return out


def _pairings(
    entries: tuple[PairingEntry, ...], empty: str, with_role: bool = False
) -> list[c.Block]:
    if not entries:
        return [c.Para(empty, "muted")]
    header = ("Round", "Pairing", "Status", "Note")
    widths: tuple[float | None, ...] = (22, None, 22, 55)
    rows = tuple((p.round, p.sentence, p.status, p.note or "\u2014") for p in entries)
    if with_role:
        header = ("Round", "Help", "Pairing", "Status", "Note")
        widths = (22, 20, None, 22, 50)
        rows = tuple((p.round, p.role, p.sentence, p.status, p.note or "\u2014") for p in entries)
    return [c.Table(header, rows, widths)]
