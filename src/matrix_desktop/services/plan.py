"""The improvement plan: the action plan of an entity or a system, action status and targets.

Reading is one query (storage.plan_queries). Changing an action's status or a domain's
target returns an Edit of the domain's rating, run by AssessmentService.execute like every
other edit: compare-and-set, validated, audited, undoable, carried by exchange files.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from pathlib import Path

from matrix_desktop.core.commands import Edit
from matrix_desktop.core.dates import DateError, iso_date
from matrix_desktop.core.errors import NotFound, ValidationFailed
from matrix_desktop.core.model import ActionStatus, Rating
from matrix_desktop.core.plan import (
    PlanAction,
    PlanFilter,
    action_plan,
    target_notes,
    today_iso,
    with_status,
)
from matrix_desktop.services.assessments import AssessmentService
from matrix_desktop.services.catalog import CatalogService
from matrix_desktop.services.files import write_atomically
from matrix_desktop.storage import plan_queries
from matrix_desktop.storage.database import Database

PLAN_HEADERS = (
    "Entity",
    "Domain",
    "Action",
    "Owner",
    "Status",
    "Due",
    "Overdue",
    "Completed",
    "Note",
    "Agreed in",
    "Latest round",
    "Action id",
)


@dataclass(frozen=True)
class TargetEdit:
    """A target change ready to run, with what the room should be told about it."""

    edit: Edit
    warnings: tuple[str, ...]


class PlanService:
    """Reads the action plan and prepares action and target edits."""

    def __init__(self, db: Database, catalog: CatalogService, assessments: AssessmentService):
        self.db = db
        self.catalog = catalog
        self.assessments = assessments

    # -- reading -----------------------------------------------------------------------

    def plan(
        self,
        *,
        entity_ids: list[str] | None = None,
        system_id: str | None = None,
        plan_filter: PlanFilter | None = None,
        today: str | None = None,
        domain_titles: dict[str, str] | None = None,
        up_to_sequence: int | None = None,
        final_only: bool = False,
    ) -> list[PlanAction]:
        """Return the action plan: each action once, as its latest round holds it.

        entity_ids or system_id narrow it to those entities (neither: every entity).
        up_to_sequence reads it "as at" a round (rounds after it are left out); final_only
        reads only final self-assessments, as the system summary does.
        """
        if system_id is not None:
            ids = [e.id for e in self.catalog.entities(system_id)]
            entity_ids = ids if entity_ids is None else [i for i in entity_ids if i in set(ids)]
        with self.db.reader() as s:
            sources = plan_queries.action_sources(s, entity_ids)
        if up_to_sequence is not None or final_only:
            sources = [
                src
                for src in sources
                if (up_to_sequence is None or src.round_sequence <= up_to_sequence)
                and (src.assessment_final or not final_only)
            ]
        return action_plan(
            sources,
            domain_titles if domain_titles is not None else self.catalog.domain_titles(),
            today or today_iso(),
            plan_filter,
        )

    def find(self, action_id: str, entity_id: str | None = None) -> PlanAction:
        """Return one action as its latest round holds it; NotFound names the id."""
        wanted = action_id.strip()
        rows = self.plan(entity_ids=[entity_id] if entity_id else None)
        found = [r for r in rows if r.action.id == wanted] or [
            r for r in rows if wanted and r.action.id.startswith(wanted)
        ]
        if len(found) != 1:
            what = "no action" if not found else f"{len(found)} actions"
            where = "" if entity_id else " (name the entity when two hold the same id)"
            raise NotFound(f"{what} with id {wanted!r}{where}; `actions list` shows the ids.")
        return found[0]

    # -- changing ----------------------------------------------------------------------
    def set_action_status(
        self,
        action_id: str,
        status: ActionStatus,
        *,
        completed_on: str | None = None,
        note: str | None = None,
        today: str | None = None,
        entity_id: str | None = None,
    ) -> Edit:
        """Return the edit setting an action's status (and note) in its latest round.

        The change is made in the assessment of the latest round holding the action: the
        earlier rounds keep what they recorded then. Refused (ValidationFailed) when that
        assessment is final: reopen it, or start the next round's assessment, which takes
        the open actions over.
        """
        row = self.find(action_id, entity_id)
        if row.assessment_final:
            raise ValidationFailed(
                f"Action {row.action.id[:8]} is held by {row.entity_name}'s {row.round_name} "
                "assessment, which is final: reopen it, or create the next round's assessment "
                "(it takes the open actions over) and change the action there."
            )
        seen = self.assessments.record(row.assessment_id).rating(row.domain_key)
        changed = with_status(row.action, status, today or today_iso(), completed_on)
        if note is not None:
            changed = replace(changed, note=note.strip())
        actions = tuple(changed if a.id == row.action.id else a for a in seen.actions)
        edit = self.assessments.edit_rating(
            row.assessment_id, row.domain_key, seen=seen, actions=actions
        )
        edit.text = f"Set action '{_short(row.action.what)}' to {status.label.lower()}"
        return edit

    def set_target(
        self,
        assessment_id: str,
        domain_key: str,
        stage: str | None,
        target_date: str | None,
        *,
        seen: Rating | None = None,
        today: str | None = None,
    ) -> TargetEdit:
        """Return the edit of a domain's target, with warnings (below the stage, date past).

        stage is a stage key or name (None clears the target). Unknown stages and dates
        that are not dates are refused (ValidationFailed) before anything is written.
        """
        a = self.assessments.get(assessment_id)
        fw = self.assessments.framework_of(a)
        if not fw.has_domain(domain_key):
            raise ValidationFailed(f"{domain_key!r} is not a domain of {fw.title}.")
        key = None
        if stage is not None and stage.strip():
            wanted = stage.strip().casefold()
            match = [s for s in fw.stages if wanted in (s.key.casefold(), s.name.casefold())]
            if not match:
                names = ", ".join(s.name for s in fw.stages)
                raise ValidationFailed(f"{stage!r} is not a stage of {fw.title} (stages: {names}).")
            key = match[0].key
        if target_date is not None and not target_date.strip():
            target_date = None
        if target_date is not None:
            try:
                target_date = iso_date(target_date)
            except DateError as exc:
                raise ValidationFailed(f"Target date {exc}.") from None
        if seen is None:
            seen = self.assessments.record(assessment_id).rating(domain_key)
        after = seen.evolve(target_stage=key, target_date=target_date if key else None)
        edit = self.assessments.edit_rating(
            assessment_id,
            domain_key,
            seen=seen,
            target_stage=after.target_stage,
            target_date=after.target_date,
        )
        title = fw.domain(domain_key).title
        edit.text = (
            f"Set the target of {title} to {fw.stage(key).name}"
            if key
            else f"Clear the target of {title}"
        )
        return TargetEdit(edit, tuple(target_notes(fw, after, today or today_iso())))


def plan_table(rows: list[PlanAction]) -> list[tuple[str, ...]]:
    """Return the plan as table rows in PLAN_HEADERS' order (what views and exports show)."""
    return [
        (
            r.entity_name,
            r.domain_title,
            r.action.what,
            r.action.owner,
            r.action.status.label,
            r.action.due or "",
            "overdue" if r.overdue else "",
            r.action.completed_on or "",
            r.action.note,
            r.first_round_name,
            r.round_name,
            r.action.id,
        )
        for r in rows
    ]


def export_plan_xlsx(rows: list[PlanAction], path: str | Path, title: str = "Action plan") -> Path:
    """Write the action plan to a spreadsheet (one sheet, a header row); returns the path."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(PLAN_HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r, line in enumerate(plan_table(rows), start=2):
        for c, value in enumerate(line, start=1):
            cell = sheet.cell(row=r, column=c)
            cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell.data_type = "s"  # text stays text, even "=..." (never a formula)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    target = Path(path)
    write_atomically(target, buffer.getvalue())
    return target


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
