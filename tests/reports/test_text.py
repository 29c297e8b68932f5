"""Tests for safe text: escaping for reportlab markup, chunking, spreadsheet text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from reportlab.platypus import Paragraph

from matrix_desktop.reports.layout import styles
from matrix_desktop.reports.text import chunks, clip, markup, spreadsheet_text


def test_markup_escapes_tags_and_entities_and_keeps_newlines():
    assert markup("a<b & AT&T") == "a&lt;b &amp; AT&amp;T"
    assert markup('<a href="javascript:x">y</a>') == '&lt;a href="javascript:x"&gt;y&lt;/a&gt;'
    assert markup("one\ntwo\r\nthree") == "one<br/>two<br/>three"


# Format characters (soft hyphen, joiners) are typographic hints, not printed glyphs.
@given(st.text(st.characters(exclude_categories=("Cs", "Cf")), max_size=300))
def test_any_text_makes_a_paragraph_that_reads_back_literally(text):
    p = Paragraph(markup(text), styles().body)
    p.wrap(400, 10_000)
    plain = p.getPlainText()
    expected = "".join(c for c in text if (c >= " " and c != "\x7f") or c in "\n\t")
    assert "".join(plain.split()) == "".join(expected.split())  # <br/> reads back as nothing


def test_chunks_split_long_text_at_spaces():
    text = " ".join(["word"] * 5000)
    parts = chunks(text, 1000)
    assert all(len(p) <= 1000 for p in parts)
    assert " ".join(parts) == text
    assert chunks("a\n\nb") == ["a", "b"]
    assert chunks("") == []


def test_clip_and_spreadsheet_text():
    assert clip("x" * 10, 5).startswith("xxxxx … [5 more")
    assert spreadsheet_text("=1+1") == "'=1+1"
    assert spreadsheet_text("fine") == "fine"
