"""Line breaking and drawing of plain paragraphs, writing the PDF operators reportlab writes.

Nearly every paragraph of a report (950 in a peer-review report, half of them table cells) is
*plain*: one run of text in one TrueType font, size and colour, left-aligned, perhaps with a
bullet. For such a paragraph reportlab's general code (``Paragraph.breakLines`` and
``Paragraph.drawPara`` behind ``Flowable.drawOn``) spends most of its time on features the
paragraph does not use: hyphenation and shaping checks per word, a text object with a graphics
state pushed and popped twice, a cursor object per line, colour and alpha setters. That was a
third of the time reportlab took to lay out and write a report.

Here the same steps are taken for the plain case only, in the same order and with the same
arithmetic, so the result is the same to the byte:

- ``break_lines`` returns the ``blPara`` reportlab's ``breakLines`` returns (the same words per
  line, the same unused widths, computed by the same additions), or None when the text needs
  anything it does not handle (a word too long for the line, soft hyphens);
- ``draw_code`` returns the content-stream operators ``Flowable.drawOn`` appends for the
  paragraph (``q``, the ``cm`` translation, the bullet's text object, the fill colour, one text
  object with one ``Tj ... T*`` per line, ``Q``), with the characters encoded by the font's own
  ``splitString`` so the document's font subsets are built as reportlab builds them.

The tests (tests/reports/test_plain_paragraph.py) compare both with reportlab's own results
over many texts, widths and styles. ``plain_style`` and ``plain_frag`` say when a paragraph
qualifies; anything else (markup with several runs, fallback fonts, other alignments, links,
backgrounds) is left to reportlab.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice

from reportlab.lib.colors import CMYKColor, Color
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getAscentDescent, getFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.paragraph import ParaLines, split, strip
from reportlab.platypus.paraparser import ParaFrag

_memo = threading.local()  # the document being laid out in this thread: see laying_out()
_SHY = "\xad"  # soft hyphen: reportlab may hyphenate there
_NBSP = "\xa0"  # no-break space: not a break, but a space reportlab's justification stretches


@contextmanager
def laying_out() -> Iterator[None]:
    """Remember word widths and font codes while one document is laid out, then forget them.

    A report measures the same words again and again (stage names, "the", dates), and every
    line's characters are looked up one by one in the font's subset; measuring each word once
    and encoding a line whose characters all have codes already with one ``str.translate``
    saves a tenth of the layout time (the few colours, sizes and leadings are formatted once
    too). Nothing is kept from one document to the next.
    """
    outer = tuple(getattr(_memo, name, None) for name in ("metrics", "codes", "numbers"))
    _memo.metrics, _memo.codes, _memo.numbers = {}, {}, {}
    try:
        yield
    finally:
        _memo.metrics, _memo.codes, _memo.numbers = outer


class _Metrics:
    """A font at a size: its space, ascent and descent, and the widths of words measured."""

    __slots__ = ("ascent", "descent", "space", "widths")

    def __init__(self, font_name: str, size: float):
        self.space = getFont(font_name).stringWidth(" ", size)
        self.ascent, self.descent = getAscentDescent(font_name, size)
        self.widths: dict[str, float] = {}


def _metrics(font_name: str, size: float) -> _Metrics:
    """Return a font's metrics at a size (remembered while a document is laid out)."""
    known: dict[tuple[str, float], _Metrics] | None = getattr(_memo, "metrics", None)
    if known is None:
        return _Metrics(font_name, size)
    metrics = known.get((font_name, size))
    if metrics is None:
        metrics = known[font_name, size] = _Metrics(font_name, size)
    return metrics


class _Codes:
    """The characters a document has given codes in the first subset of a font, as a table."""

    __slots__ = ("chars", "seen", "table")

    def __init__(self) -> None:
        self.seen = 0  # how many of the font's assignments are in the table
        self.chars: set[str] = set()
        self.table: dict[int, str] = {}

    def update(self, assignments: dict[int, int]) -> None:
        """Add the codes given since the last update (assignments only grow, in order)."""
        for code, n in islice(assignments.items(), self.seen, None):
            if n < 256:
                self.chars.add(chr(code))
                self.table[code] = chr(n)
        self.seen = len(assignments)
        space = assignments.get(32)
        if space is not None and space < 256:  # splitString prints a no-break space as a space
            self.chars.add(_NBSP)
            self.table[0xA0] = chr(space)


def _split(font: TTFont, text: str, doc: object) -> list[tuple[int, bytes]]:
    """Return font.splitString(text, doc), without its loop when every character has a code."""
    known: dict[tuple[object, str], _Codes] | None = getattr(_memo, "codes", None)
    if known is None or not text:
        return font.splitString(text, doc)  # type: ignore[no-any-return]
    codes = known.get((doc, font.fontName))
    if codes is None:
        codes = known[doc, font.fontName] = _Codes()
    state = font.state.get(doc)
    if state is not None and len(state.assignments) != codes.seen:
        codes.update(state.assignments)
    if codes.chars.issuperset(text):
        return [(0, text.translate(codes.table).encode("latin-1"))]
    return font.splitString(text, doc)  # type: ignore[no-any-return]


def plain_style(style: ParagraphStyle, bullet: object = None) -> bool:
    """Return True if a style (and the bullet, if any) uses nothing but what this module draws."""
    if bullet is not None and not (
        isinstance(bullet, str)
        and style.bulletAnchor == "start"
        and not getattr(style, "bulletOffsetY", 0)
        and _plain_colour(getattr(style, "bulletColor", style.textColor))
        and _truetype(style.bulletFontName)
    ):
        return False
    return bool(
        style.alignment == TA_LEFT
        and not style.wordWrap
        and not style.backColor
        and not (style.borderColor and style.borderWidth)
        and not style.endDots
        and not style.shaping  # then reportlab shapes nothing, whatever the font
        and not style.hyphenationLang
        and not style.uriWasteReduce
        and not style.embeddedHyphenation
        and getattr(style, "autoLeading", "") not in ("max", "min")
        and style.firstLineIndent == 0
    )


def plain_frag(frag: ParaFrag) -> bool:
    """Return True if a paragraph's single fragment is one run of plain text in a TrueType font."""
    text = getattr(frag, "text", None)
    return bool(
        isinstance(text, str)
        and type(frag) is ParaFrag
        and not hasattr(frag, "cbDefn")
        and not hasattr(frag, "backColor")
        and not getattr(frag, "lineBreak", False)
        and not frag.us_lines
        and not frag.link
        and not frag.rise
        and _SHY not in text
        and _plain_colour(frag.textColor)
        and _truetype(frag.fontName)
    )


def _truetype(name: str) -> bool:
    """Return True if a font is a registered TrueType font (False for others and unknowns)."""
    try:
        return isinstance(getFont(name), TTFont)
    except (KeyError, ValueError):
        return False


def _plain_colour(colour: object) -> bool:
    return isinstance(colour, Color) and not isinstance(colour, CMYKColor)


def break_lines(
    frag: ParaFrag, style: ParagraphStyle, widths: list[float], bullet: str | None
) -> tuple[ParaLines, float] | None:
    """Return (blPara, widest line) as reportlab's breakLines makes them, or None to let it.

    ``widths`` are the first and later line widths; like reportlab, the first is narrowed in
    place when a bullet reaches past the indent.
    """
    if bullet:  # reportlab's _handleBulletWidth
        bullet_len = (
            style.bulletIndent
            + getFont(style.bulletFontName).stringWidth(bullet, style.bulletFontSize)
            + 0.6 * style.bulletFontSize
        )
        indent = style.leftIndent + style.firstLineIndent
        if bullet_len > indent:
            widths[0] -= bullet_len - indent
    font_size = frag.fontSize
    metrics = _metrics(frag.fontName, font_size)
    ascent, descent = metrics.ascent, metrics.descent
    text = strip(frag.text)
    if not text:
        return frag.clone(kind=0, lines=[], ascent=ascent, descent=descent, fontSize=font_size), 0
    width_of = getFont(frag.fontName).stringWidth
    known = metrics.widths
    space = metrics.space
    shrink = style.spaceShrinkage * space
    split_long = style.splitLongWords
    later = widths[-1]
    max_width = widths[0]
    widest = 0.0
    lines: list[tuple[float, list[str]]] = []
    line: list[str] = []
    current = -space
    for word in split(text):
        word_width = known.get(word)
        if word_width is None:
            word_width = known[word] = width_of(word, font_size)
        new = current + space + word_width
        if new > max_width + shrink * len(line):
            if split_long and word_width > max_width:  # reportlab splits the word
                return None
            if line:  # end the line; the word starts the next
                widest = max(widest, current)
                lines.append((max_width - current, line))
                line = [word]
                current = word_width
                max_width = later
                continue
        line.append(word)
        current = new
    if line:
        widest = max(widest, current)
        lines.append((max_width - current, line))
    para = frag.clone(kind=0, lines=lines, ascent=ascent, descent=descent, fontSize=font_size)
    return para, widest


def draw_code(
    canvas: Canvas,
    x: float,
    y: float,
    height: float,
    bl_para: ParaLines,
    style: ParagraphStyle,
    bullet: str | None,
) -> list[str] | None:
    """Return the operators reportlab's drawOn appends for a plain paragraph, or None to let it.

    None when drawing would change the canvas's fill alpha (reportlab would then set it) or the
    canvas maps colours to another colour space.
    """
    if canvas._enforceColorSpace is not None or not canvas.bottomup:
        return None
    alpha = canvas._extgstate._d.get("ca", 1)
    colour = bl_para.textColor
    bullet_colour = getattr(style, "bulletColor", style.textColor) if bullet else None
    for c in (colour, bullet_colour):
        if c is not None and c.alpha is not None:
            if c.alpha != alpha:
                return None
            canvas._doc.ensureMinPdfVersion("transparency")
    out = ["q", f"{fp_str(1, 0, 0, 1, x, y)} cm"]
    lines = bl_para.lines
    if not lines:
        out.append("Q")
        return out
    doc = canvas._doc
    escape = canvas._escape
    cur_y = height - bl_para.fontSize  # rl_config.paraFontSizeHeightOffset
    offset = style.firstLineIndent
    out.append("q")
    if bullet:  # reportlab's _drawBullet with a string bullet anchored at its start
        size = style.bulletFontSize
        code = ["BT", f"1 0 0 1 {fp_str(style.bulletIndent, cur_y)} Tm"]
        code.append(_fill(bullet_colour))
        bullet_font = getFont(style.bulletFontName)
        code.append(_encode(bullet_font, bullet, size, size * 1.2, doc, escape, [-1]))
        code.append("ET")
        out.append(" ".join(code))
        end = style.bulletIndent + bullet_font.stringWidth(bullet, size) + size * 0.6
        offset = max(offset, end - style.leftIndent)
    out.append(_fill(colour))
    code = ["BT", f"1 0 0 1 {fp_str(style.leftIndent, cur_y)} Tm"]
    font = getFont(bl_para.fontName)
    size, leading = bl_para.fontSize, style.leading
    subset = [-1]
    for extra, words in lines:  # reportlab's _leftDrawParaLine
        text = " ".join(words)
        move = offset > 1e-6 or offset < -1e-6
        if move:
            code.append(f"{fp_str(offset, 0)} Td")
        spaces = len(words) + text.count(_NBSP) - 1
        if extra > -1e-8 or spaces <= 0:
            code.append(_encode(font, text, size, leading, doc, escape, subset) + " T*")
        else:  # squeezed into the line by shrinking its spaces
            code.append(f"{fp_str(extra / float(spaces))} Tw")
            code.append(_encode(font, text, size, leading, doc, escape, subset) + " T*")
            code.append("0 Tw")
        if move:
            code.append(f"{fp_str(-offset, 0)} Td")
        offset = 0
    code.append("ET")
    out.append(" ".join(code))
    out.append("Q")
    out.append("Q")
    return out


def _fill(colour: Color) -> str:
    """Return the operator setting an RGB fill colour (canvas.setFillColor's)."""
    return _number((colour.red, colour.green, colour.blue)) + " rg"


def _number(value: float | tuple[float, ...]) -> str:
    """Return fp_str of a number or numbers, remembered while a document is laid out."""
    known: dict[object, str] | None = getattr(_memo, "numbers", None)
    if known is None:
        return fp_str(value)  # type: ignore[no-any-return]
    text = known.get(value)
    if text is None:
        text = known[value] = fp_str(value)
    return text


def _encode(
    font: TTFont,
    text: str,
    size: float,
    leading: float,
    doc: object,
    escape: object,
    subset: list[int],
) -> str:
    """Return a text object's operators for text (PDFTextObject._formatText for TrueType)."""
    out = []
    for number, chars in _split(font, text, doc):
        if number != subset[0]:
            name = font.getSubsetInternalName(number, doc)
            out.append(f"{name} {_number(size)} Tf {_number(leading)} TL")
            subset[0] = number
        out.append(f"({escape(chars)}) Tj")  # type: ignore[operator]
    return " ".join(out)
