"""The content of a report as plain blocks, written once and printed by the PDF and DOCX writers.

A report builder (peer review, system summary) turns its view-model into a ``Document``: a
list of blocks (headings, paragraphs, tables, charts, page breaks) plus the running header and
footer.  ``reports.layout`` lays the blocks out with reportlab; ``reports.docx_writer`` writes
them as a Word document.  Neither writer decides what a report says.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ParaStyle = Literal["body", "muted", "label"]
Orientation = Literal["portrait", "landscape"]
Cell = str | tuple[str, ...]  # text, or a bulleted list inside the cell


@dataclass(frozen=True)
class Running:
    """What the header and footer say, and the document's metadata."""

    title: str
    subject: str
    header_left: str
    header_right: str
    footer_left: str
    # Printed across every page, faintly, and as a line at its head (e.g. "DRAFT"); "" for none.
    watermark: str = ""
    watermark_note: str = ""  # the line at the head of each page, e.g. why it is a draft


@dataclass(frozen=True)
class Heading:
    """A heading: level 0 and 1 are bookmarked and listed in the contents (if toc)."""

    text: str
    level: int = 0
    toc: bool = True


@dataclass(frozen=True)
class Para:
    """A paragraph of user text printed literally; long text splits into several paragraphs."""

    text: str
    style: ParaStyle = "body"
    empty: str = ""  # printed (muted) instead when text is blank; "" prints nothing


@dataclass(frozen=True)
class Bullets:
    """A bulleted list of user text."""

    items: tuple[str, ...]
    empty: str = "None recorded."


@dataclass(frozen=True)
class Table:
    """A table. Widths are millimetres, None for a share of what is left of the line.

    ``labelled`` is a two-column label/value table without a header row.
    """

    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float | None, ...]
    labelled: bool = False
    first_bold: bool = False
    # (background, text colour) per body cell as "#rrggbb", or None for the plain look
    shades: tuple[tuple[tuple[str, str] | None, ...], ...] = ()


@dataclass(frozen=True)
class Chart:
    """A chart view-model, sized as fractions of the text frame, with alternative text."""

    model: object
    label: str
    alt: str
    width: float = 1.0
    height: float = 0.8
    heading: Heading | None = None  # kept on the same page as the chart


@dataclass(frozen=True)
class PageBreak:
    """Start a new page; if orientation is given, the pages from here on are turned that way."""

    orientation: Orientation | None = None
    only_if_less_than: float = 0.0  # a fraction of the frame height; 0 breaks always


@dataclass(frozen=True)
class Cover:
    """The cover page: title, subtitle, a table of facts and a note, then a page break."""

    title: str
    subtitle: str
    facts: tuple[tuple[str, str], ...]
    note: str = ""


@dataclass(frozen=True)
class Contents:
    """The table of contents (filled in from the headings)."""


@dataclass(frozen=True)
class Gap:
    """Vertical space in millimetres."""

    height: float = 2.0


@dataclass(frozen=True)
class Step:
    """A progress report for the writer to pass on when it reaches this point."""

    fraction: float
    message: str


Block = Heading | Para | Bullets | Table | Chart | PageBreak | Cover | Contents | Gap | Step


@dataclass(frozen=True)
class Document:
    """A whole report: its blocks in order and its running header and footer."""

    blocks: tuple[Block, ...]
    running: Running
