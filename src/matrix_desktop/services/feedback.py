"""Feedback on the matrix: record it (an Edit run by AssessmentService.execute), read it per
framework version for the programme office, export it, and set it beside the version diff."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from matrix_desktop.core.commands import Edit
from matrix_desktop.core.errors import MatrixError, ValidationFailed
from matrix_desktop.core.feedback import (
    Feedback,
    FeedbackItem,
    FeedbackKind,
    StatementFeedback,
    check_feedback,
    counts_by_place,
    diff_feedback_lines,
    feedback_beside_diff,
    feedback_kind,
    new_feedback_edit,
    per_statement,
    withdraw_feedback_edit,
)
from matrix_desktop.core.framework import Framework
from matrix_desktop.core.framework_diff import FrameworkDiff, diff_frameworks
from matrix_desktop.services.assessments import AssessmentService
from matrix_desktop.services.catalog import CatalogService
from matrix_desktop.services.files import write_atomically
from matrix_desktop.storage import feedback_repo
from matrix_desktop.storage.database import Database

FEEDBACK_HEADERS = (
    "Framework",
    "Version",
    "Domain",
    "Statement",
    "Kind",
    "Feedback",
    "Suggested wording",
    "On this statement",
    "Recorded by",
    "Entity",
    "Round",
    "Recorded at",
    "Feedback id",
)


PER_STATEMENT_HEADERS = (
    "Framework",
    "Version",
    "Domain",
    "Statement",
    "Requests for clarity",
    "Suggested rewordings",
    "Total",
    "Entities",
)


@dataclass(frozen=True)
class VersionFeedback:
    """How much feedback one framework version has."""

    framework_key: str
    framework_version: str
    title: str
    count: int


class FeedbackService:
    """Prepares feedback edits and reads feedback for the programme office and the diff."""

    def __init__(self, db: Database, catalog: CatalogService, assessments: AssessmentService):
        self.db = db
        self.catalog = catalog
        self.assessments = assessments

    # -- recording ---------------------------------------------------------------------
    def add(
        self,
        assessment_id: str,
        domain_key: str,
        kind: FeedbackKind | str,
        text: str,
        *,
        statement_id: str | None = None,
        wording: str = "",
    ) -> Edit:
        """Return the edit recording new feedback, checked first against the framework
        version the assessment uses (ValidationFailed naming the field, nothing changed)."""
        assessment = self.assessments.get(assessment_id)
        fw = self.assessments.framework_of(assessment)
        chosen = feedback_kind(kind)
        check_feedback(
            fw,
            Feedback(
                "-",
                assessment_id,
                domain_key,
                chosen,
                statement_id,
                text.strip(),
                wording.strip() if chosen is FeedbackKind.REWORDING else "",
                self.assessments.user,
            ),
        )
        return new_feedback_edit(
            assessment_id, domain_key, chosen, text, statement_id=statement_id, wording=wording
        )

    def withdraw(self, feedback_id: str) -> Edit:
        """Return the edit withdrawing recorded feedback."""
        with self.db.reader() as s:
            stored = feedback_repo.get_feedback(s, feedback_id)
        if stored is None:
            raise ValidationFailed(f"Feedback: there is no feedback with id {feedback_id}.")
        return withdraw_feedback_edit(stored)

    # -- reading -----------------------------------------------------------------------
    def for_assessment(self, assessment_id: str) -> list[Feedback]:
        """Return the feedback recorded in one assessment, oldest first."""
        with self.db.reader() as s:
            rows = feedback_repo.list_feedback(s, assessment_ids=[assessment_id])
        return [r.feedback for r in rows]

    def versions(self) -> list[VersionFeedback]:
        """Return every framework version here with how much feedback it has (newest first)."""
        with self.db.reader() as s:
            counts = feedback_repo.count_by_version(s)
        out = [
            VersionFeedback(fw.key, fw.version, fw.title, counts.get((fw.key, fw.version), 0))
            for fw in self.catalog.frameworks()
        ]
        return sorted(out, key=lambda v: (-v.count, v.title))

    def items(
        self,
        framework_key: str | None = None,
        framework_version: str | None = None,
        *,
        kind: FeedbackKind | None = None,
        domain_key: str | None = None,
        entity_text: str | None = None,
    ) -> list[FeedbackItem]:
        """Return feedback (on one framework version, or all) with where it came from."""
        with self.db.reader() as s:
            rows = feedback_repo.list_feedback(s, framework_key, framework_version)
        frameworks: dict[tuple[str, str], Framework | None] = {}
        out = []
        wanted_entity = (entity_text or "").strip().casefold()
        for r in rows:
            fb = r.feedback
            if kind is not None and fb.kind is not kind:
                continue
            if domain_key is not None and fb.domain_key != domain_key:
                continue
            if wanted_entity and wanted_entity not in r.entity_name.casefold():
                continue
            ref = (r.framework_key, r.framework_version)
            if ref not in frameworks:
                try:
                    frameworks[ref] = self.catalog.framework(*ref)
                except MatrixError:  # a framework gone from the catalogue: show the keys
                    frameworks[ref] = None
            fw = frameworks[ref]
            title, statement = fb.domain_key, fb.statement_id or ""
            if fw is not None and fw.has_domain(fb.domain_key):
                domain = fw.domain(fb.domain_key)
                title = domain.title
                if fb.statement_id:
                    found = [x for x in domain.statements if x.id == fb.statement_id]
                    statement = found[0].text if found else fb.statement_id
            out.append(FeedbackItem(fb, *ref, r.entity_name, r.round_name, title, statement))
        return out

    # -- beside the version diff ----------------------------------------------------------
    def beside_diff(self, key: str, old_version: str, new_version: str) -> list[StatementFeedback]:
        """Return the old version's feedback per statement, with what the new version did."""
        diff = self.catalog_diff(key, old_version, new_version)
        with self.db.reader() as s:
            rows = feedback_repo.list_feedback(s, key, old_version)
        old = self.catalog.framework(key, old_version)
        return feedback_beside_diff(diff, old, [r.feedback for r in rows])

    def diff_lines(self, key: str, old_version: str, new_version: str) -> list[str]:
        """Return the feedback beside the diff as lines ([] when the old version has none)."""
        return diff_feedback_lines(self.beside_diff(key, old_version, new_version), old_version)

    def lines_for(self, old: Framework, new: Framework) -> list[str]:
        """Return the old version's feedback beside its diff to a version not yet stored
        (a framework file being imported as the next version)."""
        with self.db.reader() as s:
            rows = feedback_repo.list_feedback(s, old.key, old.version)
        if not rows:
            return []
        items = feedback_beside_diff(diff_frameworks(old, new), old, [r.feedback for r in rows])
        return diff_feedback_lines(items, old.version)

    def catalog_diff(self, key: str, old_version: str, new_version: str) -> FrameworkDiff:
        """Return the difference between two stored versions of a framework."""
        return diff_frameworks(
            self.catalog.framework(key, old_version), self.catalog.framework(key, new_version)
        )


def feedback_table(items: list[FeedbackItem]) -> list[tuple[str, ...]]:
    """Return feedback as rows in FEEDBACK_HEADERS' order (what views and exports show)."""
    per_place = counts_by_place(i.feedback for i in items)
    rows: list[tuple[str, ...]] = []
    for i in items:
        fb = i.feedback
        on_place = sum(per_place.get((fb.domain_key, fb.statement_id), Counter()).values())
        rows.append(
            (
                i.framework_key,
                i.framework_version,
                i.domain_title,
                i.statement_text or "(the domain as a whole)",
                fb.kind.label if fb.kind else "",
                fb.text,
                fb.wording,
                str(on_place),
                fb.author,
                i.entity_name,
                i.round_name,
                fb.created_at[:16].replace("T", " "),
                fb.id,
            )
        )
    return rows


def statement_table(items: list[FeedbackItem]) -> list[tuple[str, ...]]:
    """Return one row per statement (or domain) in PER_STATEMENT_HEADERS' order."""
    return [
        (
            c.framework_key,
            c.framework_version,
            c.domain_title,
            c.statement_text or "(the domain as a whole)",
            str(c.clarity),
            str(c.rewording),
            str(c.total),
            ", ".join(c.entities),
        )
        for c in per_statement(items)
    ]


def export_feedback(
    items: list[FeedbackItem], path: str | Path, *, per_statement_rows: bool = False
) -> Path:
    """Write feedback to an XLSX or CSV file (chosen by its suffix); returns the path.

    per_statement_rows: one row per statement with its counts instead of one per feedback.
    """
    from matrix_desktop.reports.data_export import to_csv, to_xlsx
    from matrix_desktop.reports.models import DataTable

    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ValidationFailed(
            f"Export file: {target.name} must end in .xlsx or .csv (the format to write)."
        )
    if per_statement_rows:
        table = DataTable(
            "feedback per statement",
            PER_STATEMENT_HEADERS,
            tuple(tuple(r) for r in statement_table(items)),
        )
    else:
        table = DataTable(
            "feedback on the matrix",
            FEEDBACK_HEADERS,
            tuple(tuple(r) for r in feedback_table(items)),
        )
    data = to_xlsx([table]) if suffix == ".xlsx" else to_csv(table)
    write_atomically(target, data)
    return target
