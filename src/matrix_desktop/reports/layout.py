"""The house document: embedded DejaVu font, styles, header and footer, page X of Y, bookmarks."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from reportlab.lib import colors
from reportlab.lib.fonts import ps2tt, tt2ps
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import Paragraph as _RLParagraph
from reportlab.platypus.paragraph import _FUZZ, cleanBlockQuotedText, textTransformFrags
from reportlab.platypus.paragraph import _wsc as _WSC
from reportlab.platypus.paraparser import ParaFrag

from matrix_desktop.core.errors import MatrixError
from matrix_desktop.paths import fonts_dir
from matrix_desktop.reports.content import Running
from matrix_desktop.reports.fonts import describe, runs, take_missing, with_fallbacks
from matrix_desktop.reports.models import DocumentOptions
from matrix_desktop.reports.plain_paragraph import (
    break_lines,
    draw_code,
    laying_out,
    plain_frag,
    plain_style,
)
from matrix_desktop.reports.text import chunks, markup

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_FILES = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf"}
MARGIN = 18 * mm
INK = colors.HexColor("#222222")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#9a9a9a")
DRAFT_INK = colors.HexColor("#9b1c1c")  # the draft mark: dark red, readable in grey print
SHADE = colors.HexColor("#eef2f6")
ACCENT = colors.HexColor("#0b4f8a")
CELL_CHUNK = 1200  # a long table cell is cut into paragraphs of about this many characters
TICK = "\u2611"  # ballot box with check
NO_TICK = "\u2610"  # ballot box

Progress = Callable[[float, str], None]


class ReportError(MatrixError):
    """A document could not be produced; the message says why."""


@cache
def register_fonts() -> str:
    """Register the bundled DejaVu fonts with reportlab (once) and return the regular name."""
    from reportlab.lib.fonts import addMapping

    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, filename in FONT_FILES.items():
        path = fonts_dir() / filename
        if name in registered:
            continue
        if not path.is_file():
            raise ReportError(f"the bundled font {path} is missing; reinstall matrix-desktop")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    # DejaVu Sans has no italic here: italic text falls back to the upright faces.
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT)
    addMapping(FONT, 1, 1, FONT_BOLD)
    return FONT


@dataclass(frozen=True)
class Styles:
    """Paragraph styles of the house document."""

    body: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    toc: tuple[ParagraphStyle, ...]


@cache
def styles() -> Styles:
    """Return the house styles (DejaVu Sans throughout, so any typed character prints)."""
    register_fonts()

    def s(name: str, size: float, bold: bool = False, **kw: object) -> ParagraphStyle:
        return ParagraphStyle(
            name,
            fontName=FONT_BOLD if bold else FONT,
            fontSize=size,
            bulletFontName=FONT,
            leading=kw.pop("leading", size * 1.3),
            textColor=kw.pop("textColor", INK),
            **kw,
        )

    return Styles(
        body=s("body", 9.5, spaceAfter=4),
        small=s("small", 8),
        muted=s("muted", 8.5, textColor=MUTED, spaceAfter=3),
        cell=s("cell", 8.5),
        cell_bold=s("cell_bold", 8.5, bold=True),
        h1=s("h1", 16, bold=True, spaceBefore=2, spaceAfter=8, textColor=ACCENT),
        h2=s("h2", 11.5, bold=True, spaceBefore=8, spaceAfter=4),
        h3=s("h3", 9.5, bold=True, spaceBefore=6, spaceAfter=2),
        title=s("title", 24, bold=True, leading=30, spaceAfter=14, textColor=ACCENT),
        subtitle=s("subtitle", 13, leading=17, spaceAfter=6),
        toc=(
            s("toc0", 10.5, bold=True, leftIndent=8 * mm, firstLineIndent=-8 * mm, spaceBefore=4),
            s("toc1", 9.5, leftIndent=14 * mm, firstLineIndent=-8 * mm),
        ),
    )


# -- flowable helpers ------------------------------------------------------------------------
class Paragraph(_RLParagraph):
    """A reportlab Paragraph that breaks its lines once per width, and lays out plain text fast.

    Platypus asks a paragraph for its size several times at the same width (a table measures
    every cell, then measures it again to draw it; a frame measures, then draws); reportlab
    breaks the lines afresh each time, which was a third of a report's layout time. The lines
    depend only on the text, the style and the width, so the last result is kept and reused
    while the width and the broken lines are unchanged (a split drops them).

    A plain paragraph (one run of text in one font and colour, left-aligned: nearly all of a
    report's) is broken into lines and drawn by reports.plain_paragraph, which writes the same
    PDF operators as reportlab in a fraction of the time; any other goes to reportlab.
    """

    _wrapped: tuple[float, object, float, float] | None = None
    _plain = False

    def __init__(
        self,
        text: str,
        style: ParagraphStyle | None = None,
        bulletText: object = None,  # noqa: N803 (reportlab's name)
        frags: list[ParaFrag] | None = None,
        caseSensitive: int = 1,  # noqa: N803
        encoding: str = "utf8",
    ):
        if frags is None and style is not None:
            if not _clean(text):
                text = cleanBlockQuotedText(text)
            frags = _plain_frags(text, style)
        super().__init__(text, style, bulletText, frags, caseSensitive, encoding)
        self._plain = (
            len(self.frags) == 1
            and plain_frag(self.frags[0])
            and plain_style(self.style, self.bulletText)
        )

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        memo = self._wrapped
        if memo is not None and memo[0] == availWidth and self.__dict__.get("blPara") is memo[1]:
            self.width, self.height = memo[2], memo[3]
            return memo[2], memo[3]
        if self._plain and availWidth >= _FUZZ and self.__dict__.get("_offsets") is None:
            width, height = self._wrap_plain(availWidth)
        else:
            width, height = super().wrap(availWidth, availHeight)
        if availWidth >= _FUZZ:  # reportlab's "cannot fit" answer sets no lines: not kept
            self._wrapped = (availWidth, self.blPara, width, height)
        return width, height

    def _wrap_plain(self, avail_width: float) -> tuple[float, float]:
        """Paragraph.wrap for a plain paragraph: reportlab's arithmetic, or reportlab if need be."""
        style = self.style
        left = style.leftIndent
        widths = [
            avail_width - (left + style.firstLineIndent) - style.rightIndent,
            avail_width - left - style.rightIndent,
        ]
        broken = break_lines(self.frags[0], style, widths, self.bulletText)
        if broken is None:  # a word longer than a line: reportlab splits it
            return super().wrap(avail_width, 0)
        self.width = avail_width
        self._wrapWidths = widths
        self.blPara, self._width_max = broken
        self._splitLongWordCount = self._hyphenations = 0
        self.height = len(self.blPara.lines) * style.leading
        return self.width, self.height

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        code = None
        bl_para = self.__dict__.get("blPara")
        if (
            self._plain
            and bl_para is not None
            and bl_para.kind == 0
            and self.__dict__.get("_offsets") is None
            and not getattr(self, "_showBoundary", False)
            and not self.debug
        ):
            left = self._hAlignAdjust(x, _sW)
            code = draw_code(canvas, left, y, self.height, bl_para, self.style, self.bulletText)
        if code is None:
            super().drawOn(canvas, x, y, _sW)
        else:
            canvas._code.extend(code)


# Characters reportlab's cleanBlockQuotedText may collapse or strip: white space but the space
# (kept between words) and the no-break space (kept everywhere).
_BLANKS = frozenset(_WSC + "".join(chr(c) for c in range(0x3001) if chr(c).isspace())) - {
    " ",
    "\xa0",
}


def _clean(text: str) -> bool:
    """Return True if cleanBlockQuotedText would return text unchanged (checked at C speed).

    It joins the lines and collapses each run of white space to one space, stripped at the
    ends; text with single inner spaces and no other white space is left as it is.
    """
    return (
        _BLANKS.isdisjoint(text)
        and "  " not in text
        and not text.startswith(" ")
        and not text.endswith(" ")
    )


_ENTITY = re.compile("(&amp;|&lt;|&gt;)")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}
_BR = "<br/>"


def _plain_frags(text: str, style: ParagraphStyle) -> list[ParaFrag] | None:
    """Return the fragments reportlab's parser makes of plain markup, or None for other markup.

    Plain markup is what reports.text.markup writes for user text: characters, the three
    escapes (&amp; &lt; &gt;) and line breaks (<br/>).  reportlab parses every paragraph with
    an HTML parser, which was a tenth of a report's time; for plain markup the fragments are
    made here instead, exactly as the parser makes them (a fragment per run of text and per
    escaped character, one per line break), so the paragraph lays out and prints the same.
    Any other tag (bold, a fallback font) goes to the parser.
    """
    one_run = "&" not in text and "<" not in text and ">" not in text
    lines = [text] if one_run else text.split(_BR)
    if not one_run and any(
        "<" in line or ">" in line or "&" in _ENTITY.sub("", line) for line in lines
    ):
        return None
    font, bold, italic = ps2tt(style.fontName)
    base = ParaFrag()
    base.rise = 0
    base.greek = 0
    base.link = []
    base.fontName = tt2ps(font, bold, italic)
    base.bold = bold
    base.italic = italic
    base.fontSize = style.fontSize
    base.textColor = style.textColor
    base.us_lines = []
    base.__tag__ = "para"
    frags: list[ParaFrag] = []
    if one_run:  # the usual case: the fragment is the text itself
        if text:
            base.text = text
            frags.append(base)
        textTransformFrags(frags, style)
        return frags
    for n, line in enumerate(lines):
        if n:
            frags.append(base.clone(__tag__="br", lineBreak=True, text=""))
        for piece in _ENTITY.split(line):
            if piece:
                frags.append(base.clone(text=_ENTITIES.get(piece, piece)))
    textTransformFrags(frags, style)
    return frags


def para(text: object, style: ParagraphStyle | None = None) -> Paragraph:
    """Return a paragraph of user text, printed literally (escaped), newlines kept.

    Characters DejaVu Sans lacks are set in a system font that has them (reports.fonts).
    """
    style = style or styles().body
    return Paragraph(with_fallbacks(markup(text), style.fontName), style)


def rich(markup_text: str, style: ParagraphStyle | None = None) -> Paragraph:
    """Return a paragraph of trusted markup built by this package (parts escaped by markup())."""
    return Paragraph(markup_text, style or styles().body)


def long_text(text: str, style: ParagraphStyle | None = None, empty: str = "") -> list[Flowable]:
    """Return user text as paragraphs that split across pages, however long it is."""
    pieces = chunks(text)
    if not pieces:
        return [para(empty, styles().muted)] if empty else []
    return [para(p, style) for p in pieces]


def heading(text: str, level: int = 0, toc: bool = True) -> Paragraph:
    """Return a heading; levels 0 and 1 become PDF bookmarks (and contents entries if toc)."""
    st = styles()
    p = Paragraph(markup(text), (st.h1, st.h2, st.h3)[min(level, 2)])
    if level < 2:  # sub-headings inside a section are not bookmarked
        p._outline = (level, text, toc)
    return p


def cell_text(text: object, style: ParagraphStyle | None = None) -> Flowable | list[Flowable]:
    """Return user text for a table cell: one paragraph, or several when it is long.

    Several paragraphs let a row taller than a page split across pages (splitInRow).
    """
    pieces = chunks(str(text), CELL_CHUNK) if len(str(text)) > CELL_CHUNK else []
    style = style or styles().cell
    return [para(p, style) for p in pieces] if len(pieces) > 1 else para(text, style)


def labelled(pairs: Sequence[tuple[str, str]], widths: tuple[float, float]) -> Table:
    """Return a two-column label/value table (values are user text; long ones split)."""
    st = styles()
    rows = [[para(k, st.cell_bold), cell_text(v, st.cell)] for k, v in pairs]
    t = Table(rows, colWidths=list(widths), hAlign="LEFT", splitInRow=1)
    t.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8.5),  # else reportlab selects Helvetica per cell
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return t


def grid(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    *,
    raw: bool = False,
) -> Table:
    """Return a table with a repeated header row that splits across pages row by row.

    Cells are user text (escaped; long text split into paragraphs) unless raw, when they are
    flowables already. A row taller than a page splits across pages.
    """
    st = styles()
    data: list[list[object]] = [[para(h, st.cell_bold) for h in header]]
    for row in rows:
        data.append(
            [c if raw and isinstance(c, Flowable | list) else cell_text(c, st.cell) for c in row]
        )
    t = Table(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT", splitByRow=1, splitInRow=1)
    t.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8.5),  # else reportlab selects Helvetica per cell
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ("BOX", (0, 0), (-1, -1), 0.5, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return t


def bullets(items: Sequence[str], empty: str = "None recorded.") -> list[Flowable]:
    """Return user text items as a bulleted list (each escaped)."""
    st = styles()
    if not items:
        return [para(empty, st.muted)]
    style = ParagraphStyle(
        "bullet", parent=st.body, leftIndent=5 * mm, bulletIndent=1 * mm, spaceAfter=1
    )
    out: list[Flowable] = []
    for item in items:
        for i, piece in enumerate(chunks(item) or [""]):
            out.append(Paragraph(markup(piece), style, bulletText="\u2022" if i == 0 else None))
    return out


def keep(*flowables: Flowable) -> KeepTogether:
    return KeepTogether(list(flowables))


def gap(height_mm: float = 4) -> Spacer:
    return Spacer(1, height_mm * mm)


class Contents(Flowable):
    """The contents list, drawn when the document is saved and every heading's page is known.

    This lets a document with a contents page and "page X of Y" lay out in one pass instead of
    reportlab's multi-pass build, which would also redraw every chart each pass.
    """

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._box = (avail_width, avail_height)
        return avail_width, 12

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802
        width, height = self._box
        canvas._contents_box = (canvas.getPageNumber(), x, y + 12, width, height)


def contents() -> Contents:
    """Return the contents list (filled in from the headings when the PDF is saved)."""
    return Contents()


def _draw_contents(canvas: Canvas, entries: list[tuple[int, str, int, str]]) -> None:
    _page, x, top, width, height = canvas._contents_box
    line = 15.0
    room = int(height // line)
    if len(entries) > room:  # too many: keep the top level
        entries = [e for e in entries if e[0] == 0][:room]
    y = top - 11
    for level, text, page, key in entries:
        font, size, indent = (FONT_BOLD, 10, 0.0) if level == 0 else (FONT, 9.5, 8 * mm)
        number = str(page)
        avail = width - indent - pdfmetrics.stringWidth(number, FONT, size) - 12
        label = " ".join(text.split())
        while label and pdfmetrics.stringWidth(label, font, size) > avail:
            label = label[:-2] + "…" if len(label) > 2 else ""
        canvas.setFont(font, size)
        canvas.setFillColor(INK)
        draw_text(canvas, x + indent, y, label, font, size)
        canvas.drawRightString(x + width, y, number)
        start = x + indent + pdfmetrics.stringWidth(label, font, size) + 4
        end = x + width - pdfmetrics.stringWidth(number, FONT, size) - 4
        if end > start:
            canvas.setStrokeColor(RULE)
            canvas.setDash(0.5, 2.5)
            canvas.line(start, y + 1, end, y + 1)
            canvas.setDash()
        canvas.linkRect("", key, (x, y - 3, x + width, y + size), relative=0, thickness=0)
        y -= line


# -- the document ----------------------------------------------------------------------------
def page_size(options: DocumentOptions) -> tuple[float, float]:
    if options.page_size not in ("a4", "letter"):
        raise ReportError(f"page size must be a4 or letter, not {options.page_size!r}")
    return A4 if options.page_size == "a4" else LETTER


def frame_size(options: DocumentOptions, landscape: bool = False) -> tuple[float, float]:
    """Return the (width, height) in points of the text frame on a page (turned if landscape)."""
    w, h = page_size(options)
    if landscape:
        w, h = h, w
    return w - 2 * MARGIN, h - 2 * MARGIN - 10 * mm


class _Doc(BaseDocTemplate):
    def __init__(self, buffer: io.BytesIO, running: Running, options: DocumentOptions):
        size = page_size(options)
        super().__init__(
            buffer,
            pagesize=size,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + 5 * mm,
            bottomMargin=MARGIN + 5 * mm,
            title=running.title,
            subject=running.subject,
            author=options.author,
            creator="matrix-desktop",
            producer="matrix-desktop (ReportLab)",
            keywords=[],
            invariant=1 if options.deterministic else None,
            lang="en-GB",
            initialFontName=FONT,
            pageCompression=1,
        )
        templates = []
        for name, turned in (("page", False), ("landscape", True)):
            fw, fh = frame_size(options, landscape=turned)
            frame = Frame(
                MARGIN,
                MARGIN + 5 * mm,
                fw,
                fh,
                id=f"body-{name}",
                leftPadding=0,
                rightPadding=0,
                topPadding=0,
                bottomPadding=0,
            )
            pagesize = (size[1], size[0]) if turned else size
            templates.append(PageTemplate(id=name, frames=[frame], pagesize=pagesize))
        self.addPageTemplates(templates)
        self._headings = 0

    def handle_documentBegin(self) -> None:
        self._headings = 0
        super().handle_documentBegin()

    def afterFlowable(self, flowable: Flowable) -> None:
        outline = getattr(flowable, "_outline", None)
        if outline is None:
            return
        level, text, toc = outline
        self._headings += 1
        key = f"h{self._headings}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)
        if toc:
            self.canv._toc_entries.append((level, text, self.page, key))


def _canvas_maker(running: Running, size: tuple[float, float]) -> type[Canvas]:
    class NumberedCanvas(Canvas):
        """Holds each page until the end so the footer can say 'page X of Y'."""

        def __init__(self, *args: object, **kwargs: object):
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, object]] = []
            self._toc_entries: list[tuple[int, str, int, str]] = []
            self._contents_box: tuple[int, float, float, float, float] | None = None

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                if self._contents_box and self._contents_box[0] == self._pageNumber:
                    self.saveState()
                    _draw_contents(self, self._toc_entries)
                    self.restoreState()
                Canvas.showPage(self)
            Canvas.save(self)

        def _decorate(self, total: int) -> None:
            number = self._pageNumber
            w, h = self._pagesize or size
            self.saveState()
            self.setFillColor(MUTED)
            self.setStrokeColor(RULE)
            self.setFont(FONT, 7.5)
            if number > 1:  # the cover carries no running header
                y = h - MARGIN + 1 * mm
                draw_text(self, MARGIN, y, _fit(running.header_left, 85), FONT, 7.5)
                draw_text(self, w - MARGIN, y, _fit(running.header_right, 45), FONT, 7.5, "right")
                self.line(MARGIN, y - 1.5 * mm, w - MARGIN, y - 1.5 * mm)
            y = MARGIN - 2 * mm
            self.line(MARGIN, y + 4 * mm, w - MARGIN, y + 4 * mm)
            draw_text(self, MARGIN, y, _fit(running.footer_left, 80), FONT, 7.5)
            self.drawRightString(w - MARGIN, y, f"Page {number} of {total}")
            self.restoreState()
            if running.watermark:
                self._watermark(w, h)

        def _watermark(self, w: float, h: float) -> None:
            self.saveState()
            self.setFillColor(DRAFT_INK)
            self.setFont(FONT_BOLD, 9)
            note = running.watermark_note or running.watermark
            self.drawCentredString(w / 2, h - MARGIN + 5 * mm, _fit(note, 110))
            self.setFillAlpha(0.10)  # faint: the page stays readable under it
            self.setFont(FONT_BOLD, 110)
            self.translate(w / 2, h / 2)
            self.rotate(45)
            self.drawCentredString(0, -40, running.watermark)
            self.restoreState()

    return NumberedCanvas


def draw_text(
    canvas: Canvas, x: float, y: float, text: str, font: str, size: float, align: str = "left"
) -> None:
    """Draw one line of user text, in fallback fonts where the base font lacks a character."""
    pieces = runs(text, font)
    width = sum(pdfmetrics.stringWidth(t, f, size) for f, t in pieces)
    x = x - width if align == "right" else x
    for f, t in pieces:
        canvas.setFont(f, size)
        canvas.drawString(x, y, t)
        x += pdfmetrics.stringWidth(t, f, size)
    canvas.setFont(font, size)


def _fit(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def build_pdf(story: list[Flowable], running: Running, options: DocumentOptions) -> bytes:
    """Lay out the story in one pass and return the PDF bytes."""
    register_fonts()
    unprintable = take_missing()
    if unprintable:  # say so, rather than print empty boxes
        story = [*story, gap(4), Paragraph(markup(describe(unprintable)), styles().muted)]
    buffer = io.BytesIO()
    doc = _Doc(buffer, running, options)
    maker = _canvas_maker(running, page_size(options))
    try:
        with laying_out():
            doc.build(story, canvasmaker=maker)
    except Exception as exc:  # reportlab raises LayoutError and bare errors alike
        raise ReportError(f"the document could not be laid out: {exc}") from exc
    return buffer.getvalue()
