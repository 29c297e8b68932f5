"""Safe text for reportlab: user text is escaped before it reaches paragraph markup."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

# Characters reportlab's paragraph parser cannot take even when escaped (C0 controls).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Long user text is cut into paragraphs of about this many characters (at a space) so one
# 100,000-character field flows across pages without re-wrapping the whole text per page.
CHUNK = 2500
# Text in a table cell cannot split across pages, so it is capped.
CELL_LIMIT = 1500


def markup(text: object) -> str:
    """Return user text as paragraph markup that prints literally, newlines kept.

    ``a<b``, ``AT&T``, ``<img src=...>`` and ``<a href=...>`` come out as the characters
    typed: no tag is interpreted, so no image is read and no link is made.
    """
    cleaned = _CONTROL.sub("", str(text)).replace("\r\n", "\n").replace("\r", "\n")
    return escape(cleaned).replace("\t", "    ").replace("\n", "<br/>")


def chunks(text: str, size: int = CHUNK) -> list[str]:
    """Return text split into paragraphs: at blank lines, then at spaces past size characters."""
    cleaned = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    out: list[str] = []
    for block in re.split(r"\n\s*\n", cleaned):
        while len(block) > size:
            cut = block.rfind(" ", size // 2, size)
            cut = size if cut < 0 else cut
            out.append(block[:cut])
            block = block[cut:].lstrip(" ")
        if block.strip():
            out.append(block)
    return out


def clip(text: str, limit: int = CELL_LIMIT) -> str:
    """Return text cut to limit characters with a note saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit].rstrip()} … [{len(text) - limit:,} more characters]"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: str) -> str:
    """Return a string that a spreadsheet reading CSV will not run as a formula.

    A leading apostrophe is the convention spreadsheets show as "this is text".
    """
    return "'" + value if value.startswith(_FORMULA_START) else value


def looks_like_formula(value: str) -> bool:
    """Return True if a spreadsheet would treat this text as a formula."""
    return value.startswith(_FORMULA_START)
