"""The Word writer's tables and runs, written as XML in one go, are what python-docx's own
cell-by-cell calls write; images are stored in the package as they are, the XML deflated."""

from __future__ import annotations

import io
import zipfile

from docx import Document as open_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from matrix_desktop.reports import content as c
from matrix_desktop.reports import docx_writer as dw
from matrix_desktop.reports.text import chunks

TABLE = c.Table(
    ("Domain", "Stage", "Notes"),
    (
        ("Leadership", ("first point", "second\nline", ""), "short & <plain>"),
        ("  spaced  ", (), "word " * 700),  # long text: several paragraphs in the cell
        ("only one cell",),
        ("a", "b", "c", "one too many"),
    ),
    (40, None, 30),
    first_bold=True,
    shades=((None, ("#fde0c5", "#000000")), (("#1d91c0", "#ffffff"),)),
)
LABELLED = c.Table((), (("Entity", "Doncaster\nPlace"), ("", "")), (45, None), labelled=True)


def _by_python_docx(word, writer, block: c.Table) -> None:  # type: ignore[no-untyped-def]
    """Build the table with python-docx's API, cell by cell (the writer's former way)."""

    def text(p, value, bold=False, size=0.0, muted=False, ink=None):  # type: ignore[no-untyped-def]
        for i, line in enumerate(dw.clean(value).split("\n")):
            run = p.add_run()
            if i:
                run.add_break()
            run.add_text(line.replace("\t", "    "))
            if muted:
                run.font.color.rgb = dw.MUTED
            if bold:
                run.bold = True
            if size:
                run.font.size = Pt(size)
            if ink:
                run.font.color.rgb = RGBColor.from_string(ink.lstrip("#").upper())

    def shade(cell, fill):  # type: ignore[no-untyped-def]
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), fill.upper())
        cell._tc.get_or_add_tcPr().append(shd)

    widths = writer._widths(block.widths)
    header = () if block.labelled else block.header
    table = word.add_table(rows=len(block.rows) + (1 if header else 0), cols=len(widths))
    table._tbl.tblStyle_val = "TableGrid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    rows = list(table.rows)
    if header:
        head = rows.pop(0)
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        head._tr.get_or_add_trPr().append(repeat)
        for cell, value in zip(head.cells, header, strict=False):
            text(cell.paragraphs[0], value, bold=True, size=dw.CELL_PT)
            shade(cell, dw.SHADE)
    for r, (row, values) in enumerate(zip(rows, block.rows, strict=True)):
        shades = block.shades[r] if r < len(block.shades) else ()
        for i, (cell, value) in enumerate(zip(row.cells, values, strict=False)):
            tint = shades[i] if i < len(shades) else None
            if isinstance(value, tuple):
                cell._tc.remove(cell.paragraphs[0]._p)
                if not value:
                    text(cell.add_paragraph(), "\u2014", size=dw.CELL_PT, muted=True)
                for item in value:
                    for piece in chunks(dw.clean(item)) or [""]:
                        p = cell.add_paragraph()
                        p._p.style = "ListBullet"
                        text(p, piece, size=dw.CELL_PT)
            else:
                bold = (block.labelled or block.first_bold) and i == 0
                for n, piece in enumerate(chunks(dw.clean(value)) or [""]):
                    p = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
                    text(p, piece, bold=bold, size=dw.CELL_PT, ink=tint[1] if tint else None)
            if tint:
                shade(cell, tint[0].lstrip("#"))
    for column, width in zip(table.columns, widths, strict=False):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = Mm(width)


def _tables(word) -> list[bytes]:  # type: ignore[no-untyped-def]
    return [etree.tostring(t, method="c14n") for t in word.element.body.iter(qn("w:tbl"))]


def test_tables_are_the_xml_python_docx_writes_cell_by_cell():
    for block in (TABLE, LABELLED):
        ours, theirs = open_docx(), open_docx()
        dw._Writer(ours, dw.DEFAULT_OPTIONS, None).table(block)
        _by_python_docx(theirs, dw._Writer(theirs, dw.DEFAULT_OPTIONS, None), block)
        assert _tables(ours) == _tables(theirs)


def test_text_runs_are_the_xml_python_docx_writes():
    ours, theirs = open_docx(), open_docx()
    value = "  first line  \nsecond\tline & <more>\n"
    for muted, bold, size in ((False, False, 0), (True, False, 8), (False, True, 9.5)):
        dw._Writer._text(ours.add_paragraph(), value, muted=muted, bold=bold, size=size)
        p = theirs.add_paragraph()
        for i, line in enumerate(value.split("\n")):
            run = p.add_run()
            if i:
                run.add_break()
            run.add_text(line.replace("\t", "    "))
            if muted:
                run.font.color.rgb = dw.MUTED
            if bold:
                run.bold = True
            if size:
                run.font.size = Pt(size)
    paragraphs = [
        [etree.tostring(p, method="c14n") for p in d.element.body.iter(qn("w:p"))]
        for d in (ours, theirs)
    ]
    assert paragraphs[0] == paragraphs[1]


def test_images_are_stored_as_they_are_and_the_document_opens(tmp_path):
    from matrix_desktop.services.reports import write_check_document

    png = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (300, 200), "white").save(png, "png")
    path = write_check_document(
        tmp_path / "check.docx", "Check", (("a", "b"),), png.getvalue(), "a white box"
    )
    with zipfile.ZipFile(path) as archive:
        kinds = {i.filename: i.compress_type for i in archive.infolist()}
        assert archive.testzip() is None
    media = [name for name in kinds if name.startswith("word/media/")]
    assert media and all(kinds[name] == zipfile.ZIP_STORED for name in media)
    assert kinds["word/document.xml"] == zipfile.ZIP_DEFLATED
    assert kinds["[Content_Types].xml"] == zipfile.ZIP_DEFLATED
    doc = open_docx(str(path))
    (shape,) = doc.inline_shapes
    assert shape._inline.docPr.get("descr") == "a white box"
    assert doc.tables[0].cell(0, 0).text == "Item"
