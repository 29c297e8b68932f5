"""The one name key: case, spacing, invisible characters and look-alike letters do not make a
second name."""

from __future__ import annotations

import pytest

from matrix_desktop.core.errors import ValidationFailed
from matrix_desktop.core.names import checked_name, clean_name, name_key

BASE = "Barnsley Place Partnership"


@pytest.mark.parametrize(
    "variant",
    [
        "barnsley place partnership",
        "  BARNSLEY   Place\tPartnership ",
        "Barnsley\u200b Place Partnership",  # zero-width space
        "Barn\u00adsley Place Partnership",  # soft hyphen
        "Barnsley\u00a0Place Partnership",  # no-break space
        "B\u0430rnsley Pl\u0430ce P\u0430rtnership",  # Cyrillic а
        "Barnsl\u0435y Plac\u0435 Partn\u0435rship",  # Cyrillic е
        "\u0412arnsley \u0420lace \u0420artnership",  # Cyrillic В, Р
        "Ｂａｒｎｓｌｅｙ Place Partnership",  # full-width (NFKC)
        "Barnsley Place Partnership\ufeff",  # byte order mark
    ],
)
def test_variants_of_a_name_have_its_key(variant):
    assert name_key(variant) == name_key(BASE)


def test_different_names_have_different_keys():
    assert name_key("Barnsley") != name_key("Bassetlaw")
    assert name_key("Doncaster Place") != name_key("Doncaster Places")


def test_clean_name_keeps_what_was_typed_but_drops_invisible_characters():
    assert clean_name("  Sheffield\u200b   Place ") == "Sheffield Place"
    assert clean_name("Ωμέγα Trust") == "Ωμέγα Trust"


def test_checked_name_refuses_empty_too_long_and_control_characters():
    with pytest.raises(ValidationFailed, match="needs a name"):
        checked_name("A system", " \u200b ")
    with pytest.raises(ValidationFailed, match="at most 300"):
        checked_name("A system", "x" * 301)
    with pytest.raises(ValidationFailed, match="control character"):
        checked_name("A system", "Bad\x07Name")
