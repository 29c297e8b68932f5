"""Plain paragraphs are broken and drawn by reports.plain_paragraph exactly as reportlab would."""

from __future__ import annotations

import contextlib
import io
import random

import pytest
from report_fixtures import ENTITY, ROUND, SYSTEM
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph as ReportlabParagraph

from matrix_desktop.reports import layout
from matrix_desktop.reports.layout import FONT, Paragraph, para, register_fonts, styles
from matrix_desktop.reports.models import DocumentOptions
from matrix_desktop.reports.plain_paragraph import laying_out
from matrix_desktop.reports.text import markup

WORDS = (
    "the partnership board met monthly and agreed a shared outcomes framework "
    "Medium Developing Maturing Thriving 2021/22 Q2 Dr. Jones-Smith (lead) 100% "
    "naïve café über Ærø “quoted” — dash: x a I ☑ ☐ … "
    "Ελληνικά κείμενο Русский текст עברית עִבְרִית العربية "
    "supercalifragilisticexpialidociousandthensomemorelettersinaverylongword "
    "https://example.invalid/a/very/long/path/that/does/not/break/anywhere/at/all"
).split()
# Enough different characters that the font needs a second 256-glyph subset mid-paragraph.
MANY = "".join(chr(c) for c in range(0x0391, 0x03C9)) + "".join(
    chr(c) for c in range(0x0410, 0x0450)
)
MANY += "".join(chr(c) for c in range(0x0100, 0x017F)) + "".join(
    chr(c) for c in range(0x05D0, 0x05EA)
)


def _texts() -> list[str]:
    rng = random.Random(16)
    texts = ["", "   ", "Medium", "x", "A\xa0\xa0B with no-break spaces", "two  spaces\tand tab"]
    for _ in range(90):
        n = rng.choice((1, 2, 3, 5, 8, 20, 60))
        texts.append(" ".join(rng.choice(WORDS) for _ in range(n)))
    texts.append(" ".join(MANY[i : i + 7] for i in range(0, len(MANY), 7)))
    return texts


def _styles() -> list[tuple[ParagraphStyle, str | None]]:
    st = styles()
    bullet = ParagraphStyle(
        "bullet", parent=st.body, leftIndent=5 * mm, bulletIndent=1 * mm, spaceAfter=1
    )
    tight = ParagraphStyle("tight", parent=st.body, leftIndent=0, bulletIndent=0)
    inked = ParagraphStyle("inked", parent=st.cell, textColor=colors.HexColor("#9b1c1c"))
    indented = ParagraphStyle("indented", parent=st.cell, leftIndent=6, rightIndent=9)
    return [
        (st.cell, None),
        (st.cell_bold, None),
        (st.body, None),
        (st.muted, None),
        (st.h1, None),
        (inked, None),
        (indented, None),
        (bullet, "\u2022"),
        (bullet, None),
        (tight, "\u2022"),  # the bullet reaches past the indent: the first line is narrower
    ]


def _canvas() -> Canvas:
    register_fonts()
    return Canvas(io.BytesIO(), invariant=1, initialFontName=FONT)


def _reportlab_drawn(canvas: Canvas, p: ReportlabParagraph, x: float, y: float) -> list[str]:
    start = len(canvas._code)
    ReportlabParagraph.drawOn(p, canvas, x, y)
    return canvas._code[start:]


@pytest.mark.parametrize("in_document", [True, False], ids=["laying-out", "alone"])
def test_plain_paragraphs_break_and_draw_as_reportlab_does(in_document):
    """Lines, sizes and every PDF operator match reportlab's over many texts, styles and widths.

    Both while a document is being laid out (widths and font codes remembered) and outside one.
    """
    ours_canvas, theirs_canvas = _canvas(), _canvas()
    seen = {"squeezed": 0, "several lines": 0, "second subset": 0, "bullet": 0, "long word": 0}
    drawn_fast = 0
    real_draw = layout.draw_code

    def counting(*args):  # type: ignore[no-untyped-def]
        nonlocal drawn_fast
        code = real_draw(*args)
        drawn_fast += code is not None
        return code

    layout.draw_code = counting
    memo = laying_out() if in_document else contextlib.nullcontext()
    try:
        memo.__enter__()
        for text in _texts():
            for style, bullet in _styles():
                for width in (18, 55, 90, 151.5, 300, 480):
                    markup_text = markup(text)
                    ours = Paragraph(markup_text, style, bulletText=bullet)
                    theirs = ReportlabParagraph(markup_text, style, bulletText=bullet)
                    assert ours._plain == bool(ours.frags), (text, style.name)  # "" has none
                    size = ours.wrap(width, 1000)
                    assert size == theirs.wrap(width, 1000), (text, style.name, width)
                    assert ours.blPara.lines == theirs.blPara.lines
                    assert ours.blPara.__dict__ == theirs.blPara.__dict__
                    assert ours._width_max == theirs._width_max
                    assert ours._wrapWidths == theirs._wrapWidths
                    x, y = 40 + width / 7, 700 - size[1]
                    start = len(ours_canvas._code)
                    ours.drawOn(ours_canvas, x, y)
                    code = ours_canvas._code[start:]
                    assert code == _reportlab_drawn(theirs_canvas, theirs, x, y), (text, width)
                    joined = " ".join(code)
                    seen["squeezed"] += " Tw " in joined
                    seen["several lines"] += len(ours.blPara.lines) > 1
                    seen["second subset"] += "+1 " in joined
                    seen["bullet"] += bullet is not None and bool(ours.blPara.lines)
                    seen["long word"] += any(  # reportlab split a word too long for a line
                        type(w) is not str for _, words in ours.blPara.lines for w in words
                    )
            ours_canvas.showPage()
            theirs_canvas.showPage()
    finally:
        memo.__exit__(None, None, None)
        layout.draw_code = real_draw
    assert all(seen.values()), seen  # every branch was compared
    assert drawn_fast > 5000
    assert ours_canvas.getpdfdata() == theirs_canvas.getpdfdata()


def test_a_paragraph_split_across_pages_draws_as_reportlab_does():
    text = markup(" ".join(_texts()[10:40]))
    st = styles()
    ours, theirs = Paragraph(text, st.body), ReportlabParagraph(text, st.body)
    height = ours.wrap(300, 1000)[1]
    assert height == theirs.wrap(300, 1000)[1]
    ours_canvas, theirs_canvas = _canvas(), _canvas()
    for a, b in zip(ours.split(300, height / 3), theirs.split(300, height / 3), strict=True):
        assert a.wrap(300, 1000) == b.wrap(300, 1000)
        start = len(ours_canvas._code)
        a.drawOn(ours_canvas, 50, 300)
        assert ours_canvas._code[start:] == _reportlab_drawn(theirs_canvas, b, 50, 300)


def test_other_paragraphs_are_left_to_reportlab():
    st = styles()
    centred = ParagraphStyle("centred", parent=st.body, alignment=TA_CENTER)
    shaded = ParagraphStyle("shaded", parent=st.body, backColor=colors.yellow)
    cases = [
        Paragraph("<b>bold</b> and plain", st.body),  # two runs
        Paragraph("soft\xadhyphen", st.body),
        Paragraph("centred text", centred),
        Paragraph("on a background", shaded),
        Paragraph("x", st.body, bulletText=Paragraph("y", st.body).frags),
    ]
    odd = ParagraphStyle("odd", parent=st.body, bulletFontName="Nonesuch")  # never registered
    assert not Paragraph("x", odd, bulletText="*")._plain
    assert Paragraph("x", odd)._plain  # the bullet font matters only with a bullet
    assert not any(p._plain for p in cases)
    ours_canvas, theirs_canvas = _canvas(), _canvas()
    for p in cases:
        theirs = ReportlabParagraph(p.text, p.style, bulletText=p.bulletText)
        assert p.wrap(200, 500) == theirs.wrap(200, 500)
        start = len(ours_canvas._code)
        p.drawOn(ours_canvas, 10, 10)
        assert ours_canvas._code[start:] == _reportlab_drawn(theirs_canvas, theirs, 10, 10)


def test_under_a_faint_fill_reportlab_sets_the_alpha():
    """Where the fill alpha is not the text colour's, drawing is left to reportlab (it sets it)."""
    st = styles()
    ours_canvas, theirs_canvas = _canvas(), _canvas()
    for canvas in (ours_canvas, theirs_canvas):
        canvas.setFillAlpha(0.25)
    ours, theirs = para("faint page", st.body), ReportlabParagraph("faint page", st.body)
    ours.wrap(200, 100)
    theirs.wrap(200, 100)
    ours.drawOn(ours_canvas, 10, 10)
    code = _reportlab_drawn(theirs_canvas, theirs, 10, 10)
    assert ours_canvas._code[-len(code) :] == code
    assert any(" gs" in c for c in code)  # the alpha is set back to the colour's


def test_a_word_wider_than_the_cell_is_split_as_reportlab_splits_it():
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 2
    ours, theirs = para(word, styles().cell), ReportlabParagraph(word, styles().cell)
    assert ours.wrap(60, 500) == theirs.wrap(60, 500)
    assert len(ours.blPara.lines) > 2
    assert ours.blPara.lines == theirs.blPara.lines


@pytest.mark.parametrize("kind", ["peer-review", "system"])
def test_reports_are_byte_identical_with_and_without_the_plain_path(
    reports, monkeypatch, tmp_path, kind
):
    """A whole report written with the plain path equals the one reportlab alone writes."""
    from matrix_desktop.reports import plain_paragraph

    options = DocumentOptions(deterministic=True)
    calls = [0]
    real = plain_paragraph.draw_code

    def counting(*args):  # type: ignore[no-untyped-def]
        calls[0] += 1
        return real(*args)

    def write() -> bytes:
        if kind == "system":
            path = reports.write_system_summary(SYSTEM, ROUND, tmp_path / "x.pdf", options)
        else:
            path = reports.write_peer_review(ENTITY, ROUND, tmp_path / "x.pdf", options)
        return path.read_bytes()

    monkeypatch.setattr(layout, "draw_code", counting)
    fast = write()
    assert calls[0] > 300  # most paragraphs took the plain path
    monkeypatch.setattr(layout, "plain_style", lambda style, bullet: False)
    calls[0] = 0
    assert write() == fast
    assert calls[0] == 0


def test_text_is_encoded_with_the_codes_the_font_gives():
    """While laying out, a line whose characters all have codes is encoded without splitString."""
    from reportlab.pdfbase.pdfmetrics import getFont

    from matrix_desktop.reports import plain_paragraph

    ours, theirs = _canvas()._doc, _canvas()._doc
    font = getFont(FONT)
    texts = [t for t in _texts() if t] + ["A\xa0B", "ΑΒΓ", "A\xa0B ΑΒΓ", MANY, MANY[::-1], "x"]
    split_calls = [0]
    real = font.splitString

    def counting(text, doc, *args):  # type: ignore[no-untyped-def]
        split_calls[0] += doc is ours
        return real(text, doc, *args)

    font.splitString = counting  # type: ignore[method-assign]
    try:
        with laying_out():
            for text in texts + texts:
                assert plain_paragraph._split(font, text, ours) == real(text, theirs), text
    finally:
        del font.splitString
    assert 0 < split_calls[0] < len(texts)  # the second time round, every code is known


def test_what_a_document_remembers_is_forgotten_when_it_is_done():
    from matrix_desktop.reports import plain_paragraph

    assert getattr(plain_paragraph._memo, "metrics", None) is None
    with laying_out():
        outer = plain_paragraph._memo.metrics
        para("some words", styles().body).wrap(100, 100)
        assert outer
        with laying_out():
            assert plain_paragraph._memo.metrics == {}
        assert plain_paragraph._memo.metrics is outer
    assert plain_paragraph._memo.metrics is None
    assert plain_paragraph._memo.codes is None and plain_paragraph._memo.numbers is None
