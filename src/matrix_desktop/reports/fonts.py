"""Characters the bundled DejaVu Sans lacks (CJK, emoji): a system font that has them, or a note.

DejaVu Sans covers Latin, Greek, Cyrillic, Hebrew, Arabic and many symbols. For any other
character the system is asked (fontconfig's ``fc-match``) for a TrueType font that has it; a
font is used only if its character map really holds the character. A character no font can
print is shown as U+FFFD and listed in a note at the end of the document, rather than
printed as an empty box.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import threading
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

log = logging.getLogger(__name__)

REPLACEMENT = "\ufffd"
_seen = threading.local()  # characters a document being built could not print


@cache
def coverage(name: str) -> frozenset[int]:
    """Return the code points a registered TrueType font has glyphs for."""
    font = pdfmetrics.getFont(name)
    return frozenset(font.face.charToGlyph)


@cache
def printable(name: str) -> frozenset[str]:
    """Return the characters a registered TrueType font has glyphs for."""
    return frozenset(map(chr, coverage(name)))


@cache
def _system_font(codepoint: int) -> str | None:
    """Return a registered fallback font holding the character, or None (asked once each)."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    try:
        out = subprocess.run(
            [fc_match, "-f", "%{file}", f":charset={codepoint:x}"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return _register(out) if out.lower().endswith((".ttf", ".ttc")) else None


@cache
def _register(path: str) -> str | None:
    name = "Fallback-" + Path(path).stem
    try:
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
        coverage(name)
    except Exception:  # not a font reportlab can embed (e.g. CFF outlines): not used
        log.info("font %s cannot be embedded", path)
        return None
    return name


def font_for(char: str, base: str) -> str | None:
    """Return the font to print a character in: base if it has it, a fallback, or None."""
    codepoint = ord(char)
    if codepoint in coverage(base):
        return base
    name = _system_font(codepoint)
    return name if name and codepoint in coverage(name) else None


def with_fallbacks(escaped: str, base: str) -> str:
    """Return paragraph markup with each run the base font lacks set in a font that has it.

    ``escaped`` is markup from reports.text.markup: its own tags and entities are ASCII, which
    the base font has, so only user characters are looked at.
    """
    if printable(base).issuperset(escaped):  # the usual case, checked at C speed
        return escaped
    covered = coverage(base)
    out: list[str] = []
    run_font, run = base, []
    for char in escaped:
        font = base if ord(char) in covered else font_for(char, base)
        if font is None:
            missing().add(char)
            font, char = base, REPLACEMENT
        if font != run_font and run:
            out.append(_wrap("".join(run), run_font, base))
            run = []
        run_font = font
        run.append(char)
    if run:
        out.append(_wrap("".join(run), run_font, base))
    return "".join(out)


def runs(text: str, base: str) -> list[tuple[str, str]]:
    """Return (font, text) runs for drawing plain text: fallbacks where base lacks a glyph."""
    if printable(base).issuperset(text):  # the usual case: one run in the base font
        return [(base, text)] if text else []
    covered = coverage(base)
    out: list[tuple[str, str]] = []
    for char in text:
        font = base if ord(char) in covered else font_for(char, base)
        if font is None:
            font, char = base, REPLACEMENT
        if out and out[-1][0] == font:
            out[-1] = (font, out[-1][1] + char)
        else:
            out.append((font, char))
    return out


def _wrap(text: str, font: str, base: str) -> str:
    return text if font == base else f'<font name="{font}">{text}</font>'


def missing() -> set[str]:
    """Return the characters the document being built could not print (this thread's)."""
    if not hasattr(_seen, "chars"):
        _seen.chars = set()
    chars: set[str] = _seen.chars
    return chars


def take_missing() -> list[str]:
    """Return and forget the characters that could not be printed, in code-point order."""
    chars = sorted(missing())
    missing().clear()
    return chars


def describe(chars: list[str]) -> str:
    """Return a sentence naming characters that could not be printed."""
    listed = ", ".join(f"U+{ord(c):04X}" for c in chars[:40])
    more = f" and {len(chars) - 40} more" if len(chars) > 40 else ""
    return (
        f"This copy could not print {len(chars)} character{'s' if len(chars) != 1 else ''}: no "
        f"font on this computer has {'them' if len(chars) != 1 else 'it'} ({listed}{more}). "
        f"Each is shown as {REPLACEMENT}; the text itself is unchanged in the database."
    )
