"""Report use cases: gather one entity's or one system's data into view-models, then write files.

The builders in ``reports/`` see only the view-models made here; this module is the only part
of report generation that reads the database.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from matrix_desktop.core.errors import MatrixError, NotFound, ValidationFailed
from matrix_desktop.core.model import Assessment, AssessmentKind, Entity, Round
from matrix_desktop.reports.models import (
    DEFAULT_OPTIONS,
    DataTable,
    DocumentOptions,
    PeerReviewReport,
    SystemSummaryReport,
)
from matrix_desktop.services import report_data
from matrix_desktop.services.context import Services
from matrix_desktop.services.files import write_atomically

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

Progress = Callable[[float, str], None]


def _quiet(_fraction: float, _message: str) -> None:
    return None


class ReportService:
    """Peer-review reports, the system summary, worksheets and data exports, written to files."""

    def __init__(self, services: Services):
        self.svc = services

    # -- finding what to report on ------------------------------------------------------
    def self_assessment(self, entity: Entity, rnd: Round) -> Assessment:
        """Return the entity's self-assessment in the round (the final one first); NotFound."""
        found = [
            a
            for a in self.svc.assessments.assessments(entity.id, rnd.id)
            if a.kind is AssessmentKind.SELF_ASSESSMENT
        ]
        if not found:
            raise NotFound(f"{entity.name} has no self-assessment in round {rnd.name!r}")
        return max(found, key=lambda a: (a.is_final, a.modified_at))

    def latest_final(self, entity: Entity, rnd: Round) -> tuple[Assessment, Round] | None:
        """Return the entity's latest final self-assessment up to the round, and its round."""
        rounds = {r.id: r for r in self.svc.catalog.rounds()}
        found = [
            (rounds[a.round_id], a)
            for a in self.svc.assessments.assessments(entity.id)
            if a.kind is AssessmentKind.SELF_ASSESSMENT
            and a.is_final
            and a.round_id in rounds
            and rounds[a.round_id].sequence <= rnd.sequence
        ]
        if not found:
            return None
        came_from, a = max(found, key=lambda p: (p[0].sequence, p[1].modified_at))
        return a, came_from

    def framework_in_use(self, entity_name: str | None = None) -> tuple[str, str] | None:
        """Return (key, version) of the framework in use: the entity's newest assessment's, or
        else the one most assessments use (the newest of those); None with no assessments."""
        entities = (
            [self.svc.catalog.find_entity(entity_name)]
            if entity_name
            else self.svc.catalog.entities()
        )
        found = [a for e in entities for a in self.svc.assessments.assessments(e.id)]
        if not found:
            return None
        if entity_name:
            rounds = {r.id: r.sequence for r in self.svc.catalog.rounds()}
            a = max(found, key=lambda a: (rounds.get(a.round_id, 0), a.modified_at))
            return a.framework_key, a.framework_version
        counts = Counter((a.framework_key, a.framework_version) for a in found)
        newest = {
            ref: max(a.modified_at for a in found if (a.framework_key, a.framework_version) == ref)
            for ref in counts
        }
        return max(counts, key=lambda ref: (counts[ref], newest[ref]))

    def peer_review_of(self, assessment: Assessment) -> Assessment | None:
        """Return the peer review of a self-assessment (the final one first), or None."""
        found = [
            a
            for a in self.svc.assessments.assessments(assessment.entity_id)
            if a.kind is AssessmentKind.PEER_REVIEW and a.reviews_id == assessment.id
        ]
        return max(found, key=lambda a: (a.is_final, a.modified_at), default=None)

    # -- view-models --------------------------------------------------------------------
    def peer_review_report(self, entity_name: str, round_name: str) -> PeerReviewReport:
        """Return the peer-review report's view-model for an entity in a round."""
        entity = self.svc.catalog.find_entity(entity_name)
        rnd = self.svc.catalog.find_round(round_name)
        own = self.self_assessment(entity, rnd)
        return report_data.peer_review(self.svc, entity, own, self.peer_review_of(own))

    def system_summary(
        self, system_name: str, round_name: str | None = None
    ) -> SystemSummaryReport:
        """Return the system summary's view-model "as at" a round (the newest with data by default).

        Each entity shows its latest final self-assessment up to the round, with its round.
        """
        system = self.svc.catalog.find_system(system_name)
        rnd = self.svc.catalog.find_round(round_name) if round_name else None
        return report_data.system_summary(self.svc, system, rnd, self.latest_final)

    def data_tables(
        self, entity_names: list[str], system_name: str | None, round_name: str | None
    ) -> list[DataTable]:
        """Return the ratings, votes, actions, enablers and support-request tables."""
        entities = [self.svc.catalog.find_entity(n) for n in entity_names]
        if system_name:
            entities += self.svc.catalog.entities(self.svc.catalog.find_system(system_name).id)
        if not entity_names and not system_name:
            entities = self.svc.catalog.entities()
        rnd = self.svc.catalog.find_round(round_name) if round_name else None
        return report_data.data_tables(self.svc, entities, rnd)

    # -- files --------------------------------------------------------------------------
    def write_peer_review(
        self,
        entity_name: str,
        round_name: str,
        path: str | os.PathLike[str],
        options: DocumentOptions = DEFAULT_OPTIONS,
        progress: Progress = _quiet,
        fmt: str | None = None,
    ) -> Path:
        """Write the peer-review report (PDF or DOCX, by fmt or the file's suffix); its path."""
        from matrix_desktop.reports.peer_review import build_peer_review, build_peer_review_docx

        kind = document_format(path, fmt)
        target = _writable(path, "." + kind)
        progress(0.05, "Gathering the assessment")
        report = self.peer_review_report(entity_name, round_name)
        if kind == "docx":
            data = build_peer_review_docx(report, options, png_chart, progress)
        else:
            data = build_peer_review(report, options, draw_chart=pdf_chart, progress=progress)
        return _write(target, data, progress)

    def write_system_summary(
        self,
        system_name: str,
        round_name: str | None,
        path: str | os.PathLike[str],
        options: DocumentOptions = DEFAULT_OPTIONS,
        progress: Progress = _quiet,
        fmt: str | None = None,
    ) -> Path:
        """Write the system summary (PDF or DOCX, by fmt or the file's suffix); its path."""
        from matrix_desktop.reports.system_summary import (
            build_system_summary,
            build_system_summary_docx,
        )

        kind = document_format(path, fmt)
        target = _writable(path, "." + kind)
        progress(0.05, "Gathering every entity's assessment")
        report = self.system_summary(system_name, round_name)
        if kind == "docx":
            data = build_system_summary_docx(report, options, png_chart, progress)
        else:
            data = build_system_summary(report, options, draw_chart=pdf_chart, progress=progress)
        return _write(target, data, progress)

    def write_worksheets(
        self,
        framework_key: str | None,
        path: str | os.PathLike[str],
        *,
        version: str | None = None,
        entity_name: str | None = None,
        options: DocumentOptions = DEFAULT_OPTIONS,
        progress: Progress = _quiet,
    ) -> Path:
        """Write printable workshop worksheets for a framework and return the path.

        With no framework named, the framework in use (see framework_in_use) is printed.
        """
        from matrix_desktop.reports.worksheets import build_worksheets

        target = _writable(path, ".pdf")
        if framework_key is None:
            in_use = self.framework_in_use(entity_name)
            if in_use is None:
                raise ValidationFailed(
                    "no assessment shows which framework is in use; name one (--framework KEY)"
                )
            framework_key, version = in_use[0], version or in_use[1]
        fw = self.svc.catalog.framework(framework_key, version)
        entity = self.svc.catalog.find_entity(entity_name) if entity_name else None
        data = build_worksheets(fw, options, entity=entity, progress=progress)
        return _write(target, data, progress)

    def write_data(
        self,
        fmt: str,
        path: str | os.PathLike[str],
        *,
        entity_names: list[str] | None = None,
        system_name: str | None = None,
        round_name: str | None = None,
        table: str = "all",
        progress: Progress = _quiet,
    ) -> list[Path]:
        """Write CSV or XLSX data exports; returns the files written."""
        from matrix_desktop.reports import data_export

        if fmt not in ("csv", "xlsx"):
            raise ValidationFailed(f"data exports are csv or xlsx, not {fmt!r}")
        target = _writable(path, "." + fmt)
        progress(0.1, "Gathering the data")
        tables = self.data_tables(entity_names or [], system_name, round_name)
        if table != "all":
            tables = [t for t in tables if t.name == table]
            if not tables:
                names = ", ".join(data_export.TABLE_NAMES)
                raise ValidationFailed(f"no table named {table!r}; choose one of: {names}")
        if fmt == "xlsx":
            return [_write(target, data_export.to_xlsx(tables), progress)]
        if len(tables) == 1:
            return [_write(target, data_export.to_csv(tables[0]), progress)]
        written = []
        for t in tables:
            name = target.with_name(f"{target.stem}-{t.name.replace('_', '-')}{target.suffix}")
            written.append(_write(_writable(name, ".csv"), data_export.to_csv(t), progress))
        return written

    def write_chart(
        self,
        path: str | os.PathLike[str],
        *,
        entity_name: str | None = None,
        system_name: str | None = None,
        round_name: str | None = None,
        dpi: int = 150,
    ) -> Path:
        """Write a chart as PNG (at dpi) or SVG, by the file's suffix: a radar or a heatmap."""
        from matrix_desktop.charts import export
        from matrix_desktop.charts.figures import build_figure

        target = Path(path)
        if target.suffix.lower() not in (".png", ".svg"):
            raise ValidationFailed(f"{target}: a chart is saved as .png or .svg")
        _writable(target, target.suffix.lower())
        if not 36 <= dpi <= 1200:
            raise ValidationFailed(f"--dpi {dpi}: choose a resolution from 36 to 1200")
        if entity_name:
            if not round_name:
                raise ValidationFailed("name the round (--round) for an entity's radar")
            model: object = self.peer_review_report(entity_name, round_name).charts[0]
        elif system_name:
            model = self.system_summary(system_name, round_name).heatmap
            if model is None:
                raise NotFound(f"{system_name} has no assessments to draw")
        else:
            raise ValidationFailed("name an --entity (radar) or a --system (heatmap)")
        fig = build_figure(model)
        data = (
            export.figure_to_png(fig, dpi=dpi)
            if target.suffix.lower() == ".png"
            else (export.figure_to_svg(fig))
        )
        return _write(target, data, _quiet)


# -- charts as PDF drawings ----------------------------------------------------------------------
def pdf_chart(model: object, width: float, max_height: float) -> Flowable:
    """Return a chart as a vector flowable (text stays text) fitting width x max_height points."""
    from matrix_desktop.charts.pdf import chart_drawing

    return chart_drawing(model, width, max_height)


PRINT_PPI = 300  # charts in Word documents: print resolution at the size placed on the page


def png_chart(model: object, width: float, max_height: float) -> bytes:
    """Return a chart as PNG bytes sharp at PRINT_PPI when placed within width x max_height pt."""
    from matrix_desktop.charts import export
    from matrix_desktop.charts.pdf import print_figure

    fig = print_figure(model, width, max_height)
    fig_w, fig_h = fig.get_size_inches()
    placed_w = min(width, max_height * fig_w / fig_h) / 72  # inches on paper
    dpi = max(72, min(600, round(PRINT_PPI * placed_w / fig_w)))
    return export.figure_to_png(fig, dpi=dpi, compress_level=1)


def write_check_document(
    path: Path, title: str, facts: tuple[tuple[str, str], ...], png: bytes, alt: str
) -> Path:
    """Write a small Word document (a heading, a table, an image, page numbers): a self-check."""
    from matrix_desktop.reports import content as c
    from matrix_desktop.reports.docx_writer import render_docx

    doc = c.Document(
        (
            c.Heading(title, 0),
            c.Table(("Item", "Value"), facts, (40, None)),
            c.Chart(None, "Image", alt, width=0.5, height=0.4),
        ),
        c.Running(title, title, title, "", ""),
    )
    return _write(path, render_docx(doc, draw_image=lambda _m, _w, _h: png), _quiet)


DOCUMENT_FORMATS = ("pdf", "docx")


def document_format(path: str | os.PathLike[str], fmt: str | None) -> str:
    """Return "pdf" or "docx": fmt when given, else from the file's suffix (PDF by default)."""
    if fmt is not None:
        kind = fmt.lower()
        if kind not in DOCUMENT_FORMATS:
            raise ValidationFailed(f"--format {fmt}: reports are pdf or docx")
        suffix = Path(path).suffix.lower().lstrip(".")
        if suffix in DOCUMENT_FORMATS and suffix != kind:
            raise ValidationFailed(f"{path}: a {kind.upper()} report needs a .{kind} file name")
        return kind
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in DOCUMENT_FORMATS else "pdf"


# -- writing files -------------------------------------------------------------------------------
def _writable(path: str | os.PathLike[str], suffix: str) -> Path:
    """Return the path if a file can be written there; a clear error otherwise (before any work)."""
    target = Path(path)
    if not str(path).strip():
        raise ValidationFailed("name the output file (-o FILE)")
    if target.is_dir():
        raise ValidationFailed(f"{target} is a folder; name a file to write, e.g. report{suffix}")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ValidationFailed(f"cannot write {target}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise ValidationFailed(f"cannot write {target}: permission denied")
    return target


def _write(target: Path, data: bytes, progress: Progress) -> Path:
    progress(0.97, f"Writing {target.name}")
    try:
        write_atomically(target, data)
    except OSError as exc:
        raise MatrixError(f"cannot write {target}: {exc.strerror or exc}") from exc
    progress(1.0, f"Saved {target.name}")
    return target
