"""Write a report's blocks (reports.content) as an editable Word document with python-docx.

Headings use Word's own Heading 1-3 styles (so the navigation pane and a table of contents
work), tables are Word tables with a repeated header row, charts are PNG images at print
resolution with alternative text, and the footer numbers the pages with PAGE and NUMPAGES
fields.  The content is the same as the PDF's: both writers print the same blocks.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import struct
import zipfile
from collections.abc import Callable
from functools import cache
from xml.sax.saxutils import escape

from docx import Document as new_document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.simpletypes import ST_HpsMeasure
from docx.shared import Inches, Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from matrix_desktop.reports import content as c
from matrix_desktop.reports.models import DEFAULT_OPTIONS, DocumentOptions
from matrix_desktop.reports.text import chunks

log = logging.getLogger(__name__)

ImageDrawer = Callable[[object, float, float], bytes]  # model, width pt, height pt -> PNG
Progress = Callable[[float, str], None]

PAGE_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
MARGIN_MM = 18.0
MUTED = RGBColor(0x55, 0x55, 0x55)
DRAFT_INK = RGBColor(0x9B, 0x1C, 0x1C)
SHADE = "EEF2F6"
CELL_PT = 9
FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
# Characters XML 1.0 cannot carry (python-docx refuses them): C0 controls but tab and newline.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


# Style ids of python-docx's default template, set directly: looking a style up by its name
# scans every style each time, which made a report's paragraphs several times slower.
STYLE_IDS = {
    "Title": "Title",
    "Subtitle": "Subtitle",
    "Heading 1": "Heading1",
    "Heading 2": "Heading2",
    "Heading 3": "Heading3",
    "List Bullet": "ListBullet",
    "TOC Heading": "TOCHeading",
    "Table Grid": "TableGrid",
}


def _add_paragraph(container, style: str | None = None) -> Paragraph:  # type: ignore[no-untyped-def]
    """Return a new paragraph at the end of a document or cell, in a style of STYLE_IDS."""
    p = container.add_paragraph()
    if style is not None:
        p._p.style = STYLE_IDS[style]
    return p


def _quiet(_fraction: float, _message: str) -> None:
    return None


def clean(text: object) -> str:
    """Return user text as Word can store it: XML-safe, newlines as \\n."""
    return _NOT_XML.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n"))


def render_docx(
    doc: c.Document,
    options: DocumentOptions = DEFAULT_OPTIONS,
    draw_image: ImageDrawer | None = None,
    progress: Progress = _quiet,
) -> bytes:
    """Return the document as DOCX bytes."""
    if options.page_size not in PAGE_MM:
        from matrix_desktop.reports.layout import ReportError

        raise ReportError(f"page size must be a4 or letter, not {options.page_size!r}")
    word = new_document()
    _set_up(word, doc.running, options)
    writer = _Writer(word, options, draw_image)
    for block in doc.blocks:
        if isinstance(block, c.Step):
            progress(block.fraction, block.message)
        else:
            writer.add(block)
    return _package_bytes(word)


def _package_bytes(word: WordDocument) -> bytes:
    """Return the document as DOCX bytes: python-docx's own save, but images stored as they are.

    python-docx deflates every part; a PNG is deflated already, so deflating it again costs
    much time (a chart at print resolution is several hundred kilobytes) and saves nothing.
    """
    from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
    from docx.opc.pkgwriter import _ContentTypesItem

    package = word.part.package
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(CONTENT_TYPES_URI.membername, _ContentTypesItem.from_parts(parts).blob)
        archive.writestr(PACKAGE_URI.rels_uri.membername, package.rels.xml)
        for part in parts:
            stored = part.partname.ext.lower() in _COMPRESSED_ALREADY
            archive.writestr(
                part.partname.membername,
                part.blob,
                compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED,
            )
            if len(part.rels):
                archive.writestr(part.partname.rels_uri.membername, part.rels.xml)
    return buffer.getvalue()


_COMPRESSED_ALREADY = ("png", "jpg", "jpeg", "gif")


def _set_up(word: WordDocument, running: c.Running, options: DocumentOptions) -> None:
    props = word.core_properties
    props.title = clean(running.title)
    props.subject = clean(running.subject)
    props.author = clean(options.author)
    props.last_modified_by = ""
    props.comments = ""
    props.keywords = ""
    props.language = "en-GB"
    props.revision = 1
    if options.deterministic:
        props.created = FIXED_TIME
        props.modified = FIXED_TIME
    normal = word.styles["Normal"]
    normal.font.size = Pt(10)
    section = word.sections[0]
    _page(section, options, landscape=False)
    _header_footer(section, running, options)
    # Ask Word to fill in the contents and page fields when the file is opened.
    settings = word.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _page(section, options: DocumentOptions, landscape: bool) -> None:  # type: ignore[no-untyped-def]
    w, h = PAGE_MM[options.page_size]
    if landscape:
        w, h = h, w
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(w), Mm(h)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))
    section.header_distance = section.footer_distance = Mm(8)


def _text_width_mm(section) -> float:  # type: ignore[no-untyped-def]
    return (section.page_width - section.left_margin - section.right_margin) / 36000


def _right_tab(paragraph: Paragraph, width) -> None:  # type: ignore[no-untyped-def]
    """Give a header or footer line one right tab at width (clearing the style's own stops)."""
    stops = paragraph.paragraph_format.tab_stops
    for inches in (3.25, 6.5):  # the Header and Footer styles' centre and right stops
        stops.add_tab_stop(Inches(inches), WD_TAB_ALIGNMENT.CLEAR)
    stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)


def _header_footer(section, running: c.Running, options: DocumentOptions) -> None:  # type: ignore[no-untyped-def]
    width = Mm(_text_width_mm(section))
    head = section.header.paragraphs[0]
    _right_tab(head, width)
    run = head.add_run(clean(running.header_left) + "\t" + clean(running.header_right))
    run.font.size, run.font.color.rgb = Pt(8), MUTED
    if running.watermark:
        mark = section.header.add_paragraph()
        note = mark.add_run(clean(running.watermark_note or running.watermark))
        note.bold, note.font.size, note.font.color.rgb = True, Pt(9), DRAFT_INK
    foot = section.footer.paragraphs[0]
    _right_tab(foot, width)
    for piece in (clean(running.footer_left) + "\tPage ", "PAGE", " of ", "NUMPAGES"):
        if piece in ("PAGE", "NUMPAGES"):
            _field(foot, piece, "1")
        else:
            run = foot.add_run(piece)
            run.font.size, run.font.color.rgb = Pt(8), MUTED


def _field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """Append a Word field (e.g. PAGE) whose last computed value is `shown`."""

    def char(kind: str):  # type: ignore[no-untyped-def]
        run = paragraph.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        run._r.append(el)
        run.font.size = Pt(8)
        return run

    char("begin")
    run = paragraph.add_run()
    run.font.size = Pt(8)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    char("separate")
    value = paragraph.add_run(shown)
    value.font.size = Pt(8)
    char("end")


class _Writer:
    def __init__(self, word: WordDocument, options: DocumentOptions, draw: ImageDrawer | None):
        self.word = word
        self.options = options
        self.draw = draw
        self.landscape = False

    @property
    def width_mm(self) -> float:
        return _text_width_mm(self.word.sections[-1])

    @property
    def height_mm(self) -> float:
        s = self.word.sections[-1]
        return (s.page_height - s.top_margin - s.bottom_margin) / 36000 - 10

    def add(self, block: c.Block) -> None:
        if isinstance(block, c.Heading):
            # The contents' own heading is not listed in the contents.
            style = "TOC Heading" if block.level == 0 and not block.toc else None
            p = _add_paragraph(self.word, style or f"Heading {min(block.level + 1, 3)}")
            p.add_run(clean(block.text))
        elif isinstance(block, c.Para):
            self.para(block)
        elif isinstance(block, c.Bullets):
            self.bullets(block.items, block.empty)
        elif isinstance(block, c.Table):
            self.table(block)
        elif isinstance(block, c.Chart):
            if block.heading is not None:
                self.add(block.heading)
            self.chart(block)
        elif isinstance(block, c.PageBreak):
            self.page_break(block)
        elif isinstance(block, c.Cover):
            self.cover(block)
        elif isinstance(block, c.Contents):
            self.contents()
        elif isinstance(block, c.Gap):
            pass  # paragraph spacing does the work in Word
        else:
            raise TypeError(f"no Word layout for {type(block).__name__}")

    # -- text -----------------------------------------------------------------------------
    def para(self, block: c.Para) -> None:
        pieces = chunks(clean(block.text))
        if not pieces:
            if block.empty:
                self._text(self.word.add_paragraph(), block.empty, muted=True)
            return
        for piece in pieces:
            p = self.word.add_paragraph()
            self._text(p, piece, muted=block.style == "muted", bold=block.style == "label")
            if block.style == "label":
                p.paragraph_format.keep_with_next = True

    @staticmethod
    def _text(
        p: Paragraph, text: str, muted: bool = False, bold: bool = False, size: float = 0
    ) -> None:
        _append_runs(p._p, _runs_xml(text, muted=muted, bold=bold, size=size))

    def bullets(
        self, items: tuple[str, ...], empty: str, cell: _Cell | None = None, size: float = 0
    ) -> None:
        if not items:
            target = cell.add_paragraph() if cell else self.word.add_paragraph()
            self._text(target, empty, muted=True, size=size)
            return
        for item in items:
            for piece in chunks(clean(item)) or [""]:
                target = _add_paragraph(cell or self.word, "List Bullet")
                self._text(target, piece, size=size)

    # -- tables ---------------------------------------------------------------------------
    def _widths(self, widths: tuple[float | None, ...]) -> list[float]:
        fixed = sum(w for w in widths if w is not None)
        flexible = sum(1 for w in widths if w is None)
        rest = max(self.width_mm - fixed, 20) / max(flexible, 1)
        return [rest if w is None else w for w in widths]

    def table(self, block: c.Table) -> None:
        """Add a Word table, its XML written in one go (python-docx's per-cell calls cost much).

        The XML is what python-docx's add_table, cell by cell, writes: the grid and each
        cell sized (LibreOffice follows the grid, Word the cells), a repeated header row.
        """
        widths = [_twips(w) for w in self._widths(block.widths)]
        header = () if block.labelled else block.header
        xml = [_TABLE_START, *(f'<w:gridCol w:w="{w}"/>' for w in widths), "</w:tblGrid>"]
        if header:
            xml.append('<w:tr><w:trPr><w:tblHeader w:val="true"/></w:trPr>')
            for i, width in enumerate(widths):
                body = _cell_paras_xml(header[i], bold=True) if i < len(header) else "<w:p/>"
                xml.append(_cell_xml(width, SHADE if i < len(header) else None, body))
            xml.append("</w:tr>")
        for r, values in enumerate(block.rows):
            shades = block.shades[r] if r < len(block.shades) else ()
            xml.append("<w:tr>")
            for i, width in enumerate(widths):
                if i >= len(values):
                    xml.append(_cell_xml(width, None, "<w:p/>"))
                    continue
                value = values[i]
                shade = shades[i] if i < len(shades) else None
                if isinstance(value, tuple):
                    body = _bullets_xml(value, "\u2014", CELL_PT)
                else:
                    bold = (block.labelled or block.first_bold) and i == 0
                    body = _cell_paras_xml(value, bold=bold, ink=shade[1] if shade else None)
                xml.append(_cell_xml(width, shade[0].lstrip("#") if shade else None, body))
            xml.append("</w:tr>")
        xml.append("</w:tbl>")
        self.word.element.body._insert_tbl(parse_xml("".join(xml)))
        self.word.add_paragraph().paragraph_format.space_after = Pt(2)

    # -- charts ---------------------------------------------------------------------------
    def chart(self, block: c.Chart) -> None:
        if self.draw is None or not self.options.include_charts:
            self._text(
                self.word.add_paragraph(),
                f"[{block.label}: chart not included in this copy]",
                muted=True,
            )
            return
        max_w = self.width_mm * block.width
        max_h = self.height_mm * block.height
        try:
            png = self.draw(block.model, max_w / 25.4 * 72, max_h / 25.4 * 72)
        except Exception as exc:  # a chart must never stop the document
            log.exception("chart %s failed", block.label)
            self._text(
                self.word.add_paragraph(),
                f"[{block.label}: the chart could not be drawn ({exc})]",
                muted=True,
            )
            return
        px_w, px_h = png_size(png)
        width = min(max_w, max_h * px_w / max(px_h, 1))
        self.word.add_picture(io.BytesIO(png), width=Mm(width))
        inline = self.word.inline_shapes[-1]._inline
        inline.docPr.set("descr", clean(block.alt))
        inline.docPr.set("title", clean(block.label))

    # -- pages ----------------------------------------------------------------------------
    def page_break(self, block: c.PageBreak) -> None:
        if block.only_if_less_than:
            return  # Word keeps headings with what follows; no conditional break needed
        if block.orientation is None or (block.orientation == "landscape") == self.landscape:
            self.word.add_page_break()
            return
        self.landscape = block.orientation == "landscape"
        section = self.word.add_section(WD_SECTION.NEW_PAGE)
        _page(section, self.options, self.landscape)
        section.header.is_linked_to_previous = False
        section.footer.is_linked_to_previous = False
        first = self.word.sections[0]
        _copy_part(first.header, section.header, Mm(_text_width_mm(section)))
        _copy_part(first.footer, section.footer, Mm(_text_width_mm(section)))

    def cover(self, block: c.Cover) -> None:
        _add_paragraph(self.word, "Title").add_run(clean(block.title))
        _add_paragraph(self.word, "Subtitle").add_run(clean(block.subtitle))
        self.table(c.Table((), tuple((k, v) for k, v in block.facts if v), (45, None), True))
        self._text(self.word.add_paragraph(), block.note or "Prepared with matrix-desktop.", True)
        self.word.add_page_break()

    def contents(self) -> None:
        p = self.word.add_paragraph()
        _field(p, 'TOC \\o "1-2" \\h \\z \\u', "")
        runs = p.runs
        runs[-2].text = "Word fills in the contents when the document is opened (or press F9)."


def _copy_part(source, target, width) -> None:  # type: ignore[no-untyped-def]
    """Copy a header or footer's paragraphs into an unlinked one, with a right tab at width."""
    import copy

    body = target._element
    for p in list(body):
        body.remove(p)
    for p in source._element:
        body.append(copy.deepcopy(p))
    for p in target.paragraphs:
        stops = p.paragraph_format.tab_stops
        for stop in list(stops):
            stops._pPr.tabs.remove(stop._tab)
        _right_tab(p, width)


def png_size(data: bytes) -> tuple[int, int]:
    """Return a PNG's width and height in pixels (from its IHDR chunk)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG image")
    w, h = struct.unpack(">II", data[16:24])
    return int(w), int(h)


# -- Word XML written as text -----------------------------------------------------------------
# Tables and runs are written as XML text and parsed once: python-docx builds them element by
# element (each insertion searching the schema's child order), which was a third of the time
# of a report.  The XML is the same as python-docx's own calls write.
_TABLE_START = (
    f"<w:tbl {nsdecls('w')}><w:tblPr>"
    f'<w:tblStyle w:val="{STYLE_IDS["Table Grid"]}"/><w:tblW w:type="auto" w:w="0"/>'
    '<w:jc w:val="left"/><w:tblLayout w:type="fixed"/>'
    '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" '
    'w:noHBand="0" w:noVBand="1" w:val="04A0"/></w:tblPr><w:tblGrid>'
)
_RUNS_START = f"<w:p {nsdecls('w')}>"
_MUTED_HEX = str(MUTED)


def _twips(millimetres: float) -> int:
    return Mm(millimetres).twips


def _cell_xml(width: int, fill: str | None, body: str) -> str:
    shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill.upper()}"/>' if fill else ""
    return f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>{shade}</w:tcPr>{body}</w:tc>'


def _cell_paras_xml(text: str, bold: bool = False, ink: str | None = None) -> str:
    """Return a table cell's text as paragraphs (long text split), at the cell size."""
    colour = ink.lstrip("#").upper() if ink else None
    pieces = chunks(clean(text)) or [""]
    return "".join(
        "<w:p>" + _runs_xml(piece, bold=bold, size=CELL_PT, colour=colour) + "</w:p>"
        for piece in pieces
    )


def _bullets_xml(items: tuple[str, ...], empty: str, size: float) -> str:
    """Return a bulleted list as paragraphs in the List Bullet style (or the empty note)."""
    if not items:
        return "<w:p>" + _runs_xml(empty, muted=True, size=size) + "</w:p>"
    style = f'<w:p><w:pPr><w:pStyle w:val="{STYLE_IDS["List Bullet"]}"/></w:pPr>'
    return "".join(
        style + _runs_xml(piece, size=size) + "</w:p>"
        for item in items
        for piece in chunks(clean(item)) or [""]
    )


def _runs_xml(
    text: str,
    muted: bool = False,
    bold: bool = False,
    size: float = 0,
    colour: str | None = None,
) -> str:
    """Return text as runs, one per line (each after the first starting with a break)."""
    props = ("<w:b/>" if bold else "") + (
        f'<w:color w:val="{colour or _MUTED_HEX}"/>' if colour or muted else ""
    )
    if size:
        props += f'<w:sz w:val="{_half_points(size)}"/>'
    start = f"<w:r><w:rPr>{props}</w:rPr>" if props else "<w:r>"
    out = []
    for i, line in enumerate(clean(text).split("\n")):
        line = line.replace("\t", "    ")
        space = ' xml:space="preserve"' if len(line.strip()) < len(line) else ""
        out.append(f"{start}{'<w:br/>' if i else ''}<w:t{space}>{escape(line)}</w:t></w:r>")
    return "".join(out)


def _append_runs(p, runs: str) -> None:  # type: ignore[no-untyped-def]
    """Append runs written as XML text (by _runs_xml) to a w:p element."""
    p.extend(list(parse_xml(_RUNS_START + runs + "</w:p>")))


@cache
def _half_points(size: float) -> str:
    return ST_HpsMeasure.convert_to_xml(Pt(size))
