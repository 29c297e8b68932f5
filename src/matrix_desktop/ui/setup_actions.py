"""Set-up changes on the undo stack: catalog edits and the trash, applied through the services.

Every change the Manage dialog, the first-run form or the entity page makes goes through
`apply_setup`, which commits it (audited, by the services), puts it on the window's one
QUndoStack and tells the views the catalog changed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QWidget

from matrix_desktop.core.commands import Change
from matrix_desktop.core.errors import MatrixError
from matrix_desktop.ui.context import AppContext
from matrix_desktop.ui.interaction import interaction

log = logging.getLogger(__name__)

LIST_FILTER = "Entity lists (*.csv *.xlsx)"
CATALOG_CHANGE = Change("", frozenset(), frozenset({"catalog"}))


class SetupUndo(QUndoCommand):
    """Applied catalog edits (one batch) or trash edits; undo and redo go through the services."""

    def __init__(self, ctx: AppContext, done: Sequence[Any], text: str):
        super().__init__(text)
        self._ctx = ctx
        self.done = list(done)
        self._skip_first_redo = True

    def redo(self) -> None:
        if self._skip_first_redo:
            self._skip_first_redo = False
            return
        self._run(undo=False)

    def undo(self) -> None:
        self._run(undo=True)

    def _run(self, *, undo: bool) -> None:
        from matrix_desktop.core.catalog_edit import CatalogEdit

        svc = self._ctx.services
        assert svc is not None
        try:
            if self.done and isinstance(self.done[0], CatalogEdit):
                if undo:
                    svc.setup.undo_many(self.done)
                else:
                    self.done = svc.setup.apply_many(self.done)
            else:
                for edit in reversed(self.done) if undo else self.done:
                    svc.trash.undo(edit) if undo else svc.trash.apply(edit)
        except MatrixError as exc:
            interaction.error(self._ctx.parent_widget, "Not changed", str(exc))
            return
        self._ctx.changed.emit(CATALOG_CHANGE)


def apply_setup(ctx: AppContext, action: Callable[[], Sequence[Any]], text: str) -> list[Any]:
    """Run a set-up change now and put it on the undo stack; returns the applied edits.

    Raises what the services raise (nothing is changed then); the caller shows it.
    """
    done = list(action())
    if done:
        ctx.undo_stack.push(SetupUndo(ctx, done, text))
        ctx.changed.emit(CATALOG_CHANGE)
    return done


def delete_assessments(ctx: AppContext, parent: QWidget | None, ids: list[str]) -> bool:
    """Move assessments to the trash, asking for a reason for a final one; True if done."""
    svc = ctx.services
    if svc is None or not ids:
        return False
    if ctx.read_only:
        interaction.info(parent, "Delete", "This database is open read-only.")
        return False
    chosen = [svc.assessments.get(i) for i in ids]
    names = "\n".join(f"• {a.title}" for a in chosen)
    reason = ""
    if any(a.is_final for a in chosen):
        answer = interaction.ask_text(
            parent,
            "Delete a final assessment",
            f"Move to the trash:\n{names}\n\nA final assessment is deleted only with a "
            "reason, kept in the audit trail. Why is it being deleted?",
        )
        if answer is None:
            return False
        reason = answer.strip()
        if not reason:
            interaction.error(parent, "Not deleted", "Say why a final assessment is deleted.")
            return False
    elif not interaction.confirm(
        parent,
        "Delete",
        f"Move to the trash (Manage ▸ Trash restores it; Ctrl+Z undoes it):\n{names}",
        "Move to trash",
    ):
        return False
    done: list[Any] = []
    try:
        for a in chosen:
            done.append(svc.trash.delete(a.id, reason))
    except MatrixError as exc:
        interaction.error(parent, "Not deleted", str(exc))
    finally:
        if done:  # those moved stay undoable even when a later one was refused
            apply_setup(ctx, lambda: done, f"delete {len(done)} assessment(s)")
    return len(done) == len(chosen)


def import_entity_list(
    ctx: AppContext, parent: QWidget | None, report: Callable[[str], None] | None = None
) -> bool:
    """Choose a CSV/XLSX entity list, preview it, apply it if the user agrees; True if applied.

    A problem in the file (named by sheet, row and column) changes nothing.
    """
    from matrix_desktop.services.entity_list import plan_entity_list, read_entity_list
    from matrix_desktop.ui.background import run_blocking

    svc = ctx.services
    if svc is None:
        return False
    path = interaction.open_file(parent, "Import an entity list", LIST_FILTER)
    if not path:
        return False
    try:
        rows = run_blocking(parent, "Reading the list…", read_entity_list, path)
        plan = plan_entity_list(svc, rows)
    except MatrixError as exc:
        if report is not None:
            report(str(exc))
        interaction.error(parent, "Not imported", str(exc))
        return False
    summary = "\n".join(plan.summary()[:40])
    if not plan.edits:
        interaction.info(parent, "Import a list", f"{summary}\n\nNothing to add.")
        return False
    if not interaction.confirm(
        parent,
        "Import a list: preview",
        f"{summary}\n\nNothing is removed. Apply these changes?",
        "Apply",
    ):
        return False
    try:
        apply_setup(ctx, lambda: svc.setup.apply_many(plan.edits), "import entity list")
    except MatrixError as exc:
        if report is not None:
            report(str(exc))
        interaction.error(parent, "Not imported", str(exc))
        return False
    return True
