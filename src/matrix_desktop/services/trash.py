"""Deleting assessments to this database's trash and restoring them, audited and undoable."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from matrix_desktop.core.commands import Change
from matrix_desktop.core.errors import ValidationFailed
from matrix_desktop.core.model import AuditEvent, Status, utcnow
from matrix_desktop.services.assessments import AssessmentService
from matrix_desktop.storage import edits, setup_repo
from matrix_desktop.storage import repository as repo
from matrix_desktop.storage.database import Database


@dataclass(frozen=True)
class TrashEntry:
    """A deleted assessment as the trash lists it."""

    assessment_id: str
    entity_id: str
    round_id: str
    title: str
    status: Status
    deleted_at: str
    deleted_by: str
    reason: str


@dataclass
class TrashEdit:
    """Delete (to the trash) or restore one assessment; its inverse does the other."""

    assessment_id: str
    delete: bool
    reason: str = ""
    text: str = ""

    def inverse(self) -> TrashEdit:
        return TrashEdit(self.assessment_id, not self.delete, self.reason, "undo " + self.text)


class TrashService:
    """The trash: deleted assessments kept whole until restored."""

    def __init__(self, db: Database, assessments: AssessmentService):
        self.db = db
        self.assessments = assessments

    def entries(self) -> list[TrashEntry]:
        """Return what is in the trash, the most recently deleted first."""
        with self.db.reader() as s:
            rows = setup_repo.list_trash(s)
        return [TrashEntry(**{**r, "status": Status(r["status"])}) for r in rows]

    def delete(self, assessment_id: str, reason: str = "") -> TrashEdit:
        """Move an assessment to the trash; a final one needs a reason. Returns the edit."""
        reason = reason.strip()
        assessment = self.assessments.get(assessment_id)
        if assessment.status is Status.FINAL and not reason:
            raise ValidationFailed(
                f"{assessment.title or assessment_id} is final: say why it is being deleted."
            )
        text = f"delete {assessment.title or assessment_id}"
        return self.apply(TrashEdit(assessment_id, True, reason, text))

    def restore(self, assessment_id: str) -> TrashEdit:
        """Bring an assessment back from the trash; returns the edit."""
        return self.apply(TrashEdit(assessment_id, False, "", f"restore {assessment_id}"))

    def apply(self, edit: TrashEdit) -> TrashEdit:
        """Delete or restore in one audited transaction, then tell the assessment listeners."""
        if self.db.read_only:
            raise ValidationFailed("This database is open read-only; changes cannot be saved.")
        now, user = utcnow(), self.assessments.user
        with self.db.session() as s:
            head: dict[str, Any]
            if edit.delete:
                head = setup_repo.move_to_trash(s, edit.assessment_id, user, edit.reason, now)
                action = "delete"
            else:
                head = setup_repo.restore_from_trash(s, edit.assessment_id)
                action = "restore"
            detail = f"{head['title'] or edit.assessment_id}" + (
                f"; reason: {edit.reason}" if edit.delete and edit.reason else ""
            )
            audit_id = edits.append_audit(
                s, AuditEvent(None, now, user, action, edit.assessment_id, None, detail)
            )
            self.assessments.own_audit_ids.add(audit_id)
            if not edit.delete:
                repo.get_assessment(s, edit.assessment_id)
        parts = {"assessment", "deleted" if edit.delete else "created"}
        self.assessments.announce(Change(edit.assessment_id, frozenset(), frozenset(parts)))
        return edit

    def undo(self, edit: TrashEdit) -> TrashEdit:
        return self.apply(edit.inverse())
