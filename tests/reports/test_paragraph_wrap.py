"""The house paragraph breaks its lines once per width and gives the same layout as reportlab's."""

from __future__ import annotations

from reportlab.platypus import Paragraph as ReportlabParagraph

from matrix_desktop.reports import layout
from matrix_desktop.reports.layout import Paragraph, para, styles

TEXT = "The partnership board met monthly and agreed a shared outcomes framework. " * 12


def _counting(p: Paragraph, monkeypatch) -> list[int]:  # type: ignore[no-untyped-def]
    """Count line breaks of p, by reportlab or by reports.plain_paragraph."""
    calls = [0]
    real = p.breakLines
    real_plain = layout.break_lines

    def counted(widths):  # type: ignore[no-untyped-def]
        calls[0] += 1
        return real(widths)

    def counted_plain(*args):  # type: ignore[no-untyped-def]
        calls[0] += 1
        return real_plain(*args)

    p.breakLines = counted  # type: ignore[method-assign]
    monkeypatch.setattr(layout, "break_lines", counted_plain)
    return calls


def test_lines_are_broken_once_per_width_with_reportlabs_result(monkeypatch):
    p = para(TEXT, styles().body)
    assert isinstance(p, Paragraph)
    calls = _counting(p, monkeypatch)
    first = p.wrap(300, 800)
    assert p.wrap(300, 800) == first and p.wrap(300, 50) == first
    assert calls == [1]
    plain = ReportlabParagraph(p.text, styles().body)
    assert plain.wrap(300, 800) == first
    narrower = p.wrap(200, 800)
    assert calls == [2] and narrower == plain.wrap(200, 800)
    assert narrower[1] > first[1]


def test_a_split_paragraph_is_laid_out_afresh(monkeypatch):
    p = para(TEXT, styles().body)
    width, height = p.wrap(300, 800)
    top, rest = p.split(300, height / 2)
    assert top.wrap(300, height / 2)[1] <= height / 2 + 1
    assert rest.wrap(300, 800)[1] > 0
    assert top.wrap(300, 800)[1] + rest.wrap(300, 800)[1] >= height - 1
    calls = _counting(p, monkeypatch)
    p.__dict__.pop("blPara", None)  # what reportlab does when a split leaves no room
    assert p.wrap(300, 800) == (width, height)
    assert calls == [1]


def _frags(p) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    return [dict(f.__dict__) for f in p.frags]


def test_plain_markup_makes_the_fragments_reportlabs_parser_makes():
    """User text (escaped, line breaks) skips the HTML parser but ends in the same fragments."""
    st = styles()
    texts = [
        "plain",
        "",
        "a &amp; b &lt;tag&gt; c",
        "line<br/>break<br/><br/>twice",
        "<br/>leading and trailing<br/>",
        "  spaces   and\ttabs  ",
        "&amp;&amp;",
        "Ünïcödé — “quotes” ☑",
    ]
    for style in (st.body, st.muted, st.cell_bold, st.h1):
        for text in texts:
            ours = Paragraph(text, style)
            theirs = ReportlabParagraph(text, style)
            assert ours.text == theirs.text
            assert _frags(ours) == _frags(theirs), (text, style.name)
            assert ours.wrap(200, 800) == theirs.wrap(200, 800)


def test_other_markup_still_goes_through_the_parser():
    st = styles()
    for text in ("<b>bold</b> text", '<font name="DejaVuSans">x</font>', "a & b", "a > b"):
        theirs = ReportlabParagraph(text, st.body)
        assert _frags(Paragraph(text, st.body)) == _frags(theirs)


def test_text_is_cleaned_as_reportlab_cleans_it():
    """Text taken as clean (not passed through reportlab's cleaner) is text it would not change."""
    import random

    from reportlab.platypus.paragraph import cleanBlockQuotedText

    rng = random.Random(7)
    alphabet = " ab\u200b\xa0\t\n\u3000\x85\u2028\x1c"
    taken = 0
    for _ in range(30000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        if layout._clean(text):
            taken += 1
            assert cleanBlockQuotedText(text) == text, repr(text)
        assert Paragraph(text, styles().body).text == ReportlabParagraph(text, styles().body).text
    assert taken > 1000
    assert layout._clean("Medium") and layout._clean("2021/22 Q2 ☑\xa0\xa0done")
    assert not layout._clean(" lead") and not layout._clean("two  spaces")
