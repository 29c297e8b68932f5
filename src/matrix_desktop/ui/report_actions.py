"""The Reports menu: peer-review and system PDFs, worksheets and data, written on a worker."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from matrix_desktop.ui.interaction import interaction

if TYPE_CHECKING:
    from matrix_desktop.services.context import Services
    from matrix_desktop.ui.context import AppContext


FILTERS = {"pdf": "PDF (*.pdf)", "docx": "Word document (*.docx)"}


def _with_suffix(path: str, fmt: str) -> str:
    """Return the chosen path, with the format's suffix added when the user typed none."""
    return path if path.lower().endswith("." + fmt) else f"{path}.{fmt}"


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "report"


class ReportActions:
    """Builds the Reports menu and runs each export on a worker.

    It is given what it needs, not the window: the services (through the AppContext), the
    parent for dialogs, and callables for the chosen entity, the chosen assessments, the
    current system and the status line.
    """

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget,
        menu: QMenu,
        *,
        current_entity_id: Callable[[], str | None],
        selected_ids: Callable[[], list[str]],
        current_system_id: Callable[[], str | None],
        show_status: Callable[[str], None],
    ):
        self.ctx = ctx
        self.parent = parent
        self.current_entity_id = current_entity_id
        self.selected_ids = selected_ids
        self.current_system_id = current_system_id
        self.show_status = show_status
        self.jobs: list[object] = []
        self.peer_review_action = self._add(
            menu, "&Peer-review report (PDF)…", self.peer_review_report, "Ctrl+P"
        )
        self.system_action = self._add(
            menu, "&System summary (PDF)…", self.system_report, "Ctrl+Shift+P"
        )
        self.peer_review_docx_action = self._add(
            menu, "Peer-review report (Wor&d)…", partial(self.peer_review_report, "docx")
        )
        self.system_docx_action = self._add(
            menu, "System summary (Wo&rd)…", partial(self.system_report, "docx")
        )
        self.worksheets_action = self._add(menu, "Workshop &worksheets (PDF)…", self.worksheets)
        menu.addSeparator()
        self.xlsx_action = self._add(menu, "Export data as &XLSX…", partial(self.data, "xlsx"))
        self.csv_action = self._add(menu, "Export data as &CSV…", partial(self.data, "csv"))

    def _add(self, menu: QMenu, text: str, slot, shortcut: str | None = None) -> QAction:
        action = QAction(text, self.parent)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())  # not the checked flag
        menu.addAction(action)
        return action

    @property
    def services(self) -> Services | None:
        return self.ctx.services

    def _service(self):
        from matrix_desktop.services.reports import ReportService

        services = self.services
        return ReportService(services) if services is not None else None

    def _run(self, title: str, func, path: str) -> None:
        from matrix_desktop.ui import export_worker

        # Looked up at call time, so tests can stand in for the desktop's file opener.
        job = export_worker.run_export(
            self.parent, title, func, path, opener=export_worker.open_file
        )
        job.finished.connect(lambda written: self.show_status(f"{title} saved to {written}"))
        self.jobs = [*self.jobs[-4:], job]

    def _entity_and_round(self) -> tuple[str, str] | None:
        """Return the chosen entity's name and the round of the chosen (or latest) assessment."""
        svc = self.services
        entity_id = self.current_entity_id()
        if svc is None or entity_id is None:
            interaction.info(
                self.parent, "Report", "Choose a place partnership or collaborative first."
            )
            return None
        entity = svc.catalog.entity(entity_id)
        chosen = self.selected_ids()
        assessments = [svc.assessments.get(a) for a in chosen] or svc.assessments.assessments(
            entity.id
        )
        if not assessments:
            interaction.info(self.parent, "Report", f"{entity.name} has no assessments yet.")
            return None
        return entity.name, svc.catalog.round(assessments[-1].round_id).name

    def peer_review_report(self, fmt: str = "pdf") -> None:
        reports = self._service()
        target = self._entity_and_round()
        if reports is None or target is None:
            return
        entity, rnd = target
        path = interaction.save_file(
            self.parent,
            "Save the peer-review report",
            f"{_safe(entity)}-{_safe(rnd)}.{fmt}",
            FILTERS[fmt],
        )
        if path:
            path = _with_suffix(path, fmt)
            self._run(
                "Peer-review report",
                partial(reports.write_peer_review, entity, rnd, path, fmt=fmt),
                path,
            )

    def _summary_round(self, system_id: str) -> str | None:
        """Ask which round the summary is "as at" (the newest round with data first)."""
        svc = self.services
        if svc is None:
            return None
        used = {
            a.round_id
            for e in svc.catalog.entities(system_id)
            for a in svc.assessments.assessments(e.id)
        }
        rounds = sorted(
            (r for r in svc.catalog.rounds() if r.id in used),
            key=lambda r: r.sequence,
            reverse=True,
        )
        if not rounds:
            interaction.info(self.parent, "Report", "This system has no assessments yet.")
            return None
        index = interaction.pick(
            self.parent,
            "System summary",
            "Summary as at round (each entity's latest final self-assessment up to it):",
            [r.name for r in rounds],
        )
        return None if index is None else rounds[index].name

    def system_report(self, fmt: str = "pdf") -> None:
        reports = self._service()
        svc = self.services
        system_id = self.current_system_id()
        if reports is None or svc is None or system_id is None:
            interaction.info(
                self.parent, "Report", "Import or create a system's assessments first."
            )
            return
        system = svc.catalog.system(system_id)
        rnd = self._summary_round(system_id)
        if rnd is None:
            return
        path = interaction.save_file(
            self.parent,
            "Save the system summary",
            f"{_safe(system.short_name or system.name)}-{_safe(rnd)}-summary.{fmt}",
            FILTERS[fmt],
        )
        if path:
            path = _with_suffix(path, fmt)
            self._run(
                "System summary",
                partial(reports.write_system_summary, system.name, rnd, path, fmt=fmt),
                path,
            )

    def worksheets(self) -> None:
        reports = self._service()
        svc = self.services
        if reports is None or svc is None:
            return
        frameworks = svc.catalog.frameworks()
        entity_id = self.current_entity_id()
        in_use = reports.framework_in_use(svc.catalog.entity(entity_id).name if entity_id else None)
        # The framework in use is offered first (the dialog's default), then the rest.
        frameworks.sort(key=lambda f: (f.key, f.version) != in_use)
        index = interaction.pick(
            self.parent, "Workshop worksheets", "Matrix to print:", [f.title for f in frameworks]
        )
        if index is None:
            return
        fw = frameworks[index]
        path = interaction.save_file(
            self.parent, "Save the worksheets", f"{_safe(fw.key)}-worksheets.pdf", "PDF (*.pdf)"
        )
        if path:
            self._run(
                "Workshop worksheets",
                partial(reports.write_worksheets, fw.key, path, version=fw.version),
                path,
            )

    def data(self, fmt: str) -> None:
        reports = self._service()
        svc = self.services
        system_id = self.current_system_id()
        if reports is None or svc is None or system_id is None:
            interaction.info(
                self.parent, "Export", "Import or create a system's assessments first."
            )
            return
        system = svc.catalog.system(system_id)
        path = interaction.save_file(
            self.parent,
            f"Export data as {fmt.upper()}",
            f"{_safe(system.short_name or system.name)}-data.{fmt}",
            f"{fmt.upper()} (*.{fmt})",
        )
        if path:
            self._run(
                f"Data export ({fmt.upper()})",
                partial(reports.write_data, fmt, path, system_name=system.name),
                path,
            )
