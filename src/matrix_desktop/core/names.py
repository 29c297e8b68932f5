"""The one rule for when two names are the same: the key every name comparison uses.

"Barnsley Place Partnership", "barnsley  place partnership", a copy with a zero-width space
pasted in, and one typed with a Cyrillic "а" all have the same key, so none of them can
become a second entity beside the first.
"""

from __future__ import annotations

import unicodedata

from matrix_desktop.core.errors import ValidationFailed

MAX_NAME_LENGTH = 300

# Letters from other scripts that look like Latin ones (Unicode's confusables, the ones met
# in practice: Cyrillic and Greek capitals and small letters that render like Latin).
_CONFUSABLES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i",
        "ј": "j", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l",
        "А": "A", "В": "B", "Е": "E", "Ё": "E", "К": "K", "М": "M", "Н": "H", "О": "O",
        "Р": "P", "С": "C", "Т": "T", "У": "Y", "Х": "X", "Ѕ": "S", "І": "I", "Ї": "I",
        "Ј": "J", "Һ": "H", "Ԁ": "D", "Ԛ": "Q", "Ԝ": "W", "Ӏ": "I",
        # Greek
        "α": "a", "ο": "o", "ρ": "p", "ν": "v", "ι": "i", "κ": "k", "τ": "t", "υ": "u",
        "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
        "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    }
)  # fmt: skip

# Characters that take no space or are invisible but are not category Cf (format).
_INVISIBLE = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u034f", "\u2800"}


def _is_invisible(ch: str) -> bool:
    return unicodedata.category(ch) == "Cf" or ch in _INVISIBLE or "\ufe00" <= ch <= "\ufe0f"


def clean_name(value: str) -> str:
    """Return a name as stored: NFKC, invisible characters removed, spaces collapsed.

    The case and the letters the user typed are kept (look-alikes are only folded in the
    key), so the name reads as entered.
    """
    text = unicodedata.normalize("NFKC", value)
    text = "".join(ch for ch in text if not _is_invisible(ch))
    return " ".join(text.split())


def name_key(value: str) -> str:
    """Return the form two names are compared by: equal keys mean the same name.

    NFKC, without invisible characters, look-alike letters folded to Latin, case-folded,
    whitespace collapsed.
    """
    text = clean_name(value).translate(_CONFUSABLES)
    return unicodedata.normalize("NFKC", text.casefold())


def checked_name(what: str, value: str) -> str:
    """Return the cleaned name, or raise ValidationFailed naming what is wrong with it.

    what: the thing named, e.g. "A system" (the start of the message).
    """
    name = clean_name(value)
    if not name:
        raise ValidationFailed(f"{what} needs a name.")
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationFailed(
            f"{what}'s name is {len(name):,} characters long; at most {MAX_NAME_LENGTH} fit."
        )
    bad = next((ch for ch in name if unicodedata.category(ch) in ("Cc", "Cs", "Co")), None)
    if bad is not None:
        raise ValidationFailed(
            f"{what}'s name {name!r} contains a control character (U+{ord(bad):04X})."
        )
    return name
