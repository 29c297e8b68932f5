"""Frameworks from sheets: both layouts, the YAML rules, and problems named by sheet/row/column."""

from __future__ import annotations

import pytest

from matrix_desktop.core.errors import FrameworkFileError
from matrix_desktop.core.framework_file import read_framework_file
from matrix_desktop.core.framework_sheet import (
    Sheet,
    column_letter,
    framework_from_sheets,
    split_statements,
)
from matrix_desktop.paths import frameworks_dir

DETAILS = {
    "key": "test-matrix",
    "version": "1",
    "name": "Test matrix",
    "publisher": "A programme office",
    "published": "2024-05-01",
    "applies_to": "place partnership, provider collaborative",
}
STAGES = ("Emerging", "Developing", "Maturing", "Thriving")


def matrix(*rows: tuple[str | None, ...], header=("Domain", *STAGES), name="Matrix") -> Sheet:
    return Sheet(name, (tuple(header), *rows))


def test_published_layout_a_row_per_domain_statements_one_per_line():
    sheet = matrix(
        ("Leadership", "• Leaders meet\n\n• They share aims", "A plan", None, "Delivered"),
        ("Governance", "Loose forum", None, None, "Delegated decisions"),
    )
    fw = framework_from_sheets([sheet], "m.xlsx", DETAILS)
    assert [s.name for s in fw.stages] == list(STAGES)
    assert [d.key for d in fw.domains] == ["leadership", "governance"]
    assert [s.text for s in fw.domain("leadership").statements_for("emerging")] == [
        "Leaders meet",
        "They share aims",
    ]
    assert fw.domain("governance").statements_for("maturing") == ()
    assert fw.applies_to[0].value == "place_partnership" and fw.source == "m.xlsx"


def test_a_row_per_statement_layout_matches_the_matrix_layout():
    rows = Sheet(
        "Statements",
        (
            ("Domain", "Stage", "Statement"),
            ("Leadership", "Emerging", "Leaders meet"),
            ("Leadership", "Emerging", "They share aims"),
            ("Leadership", "developing", "A plan"),
            ("Leadership", "Thriving", "Delivered"),
            ("Governance", "Emerging", "Loose forum"),
            ("Governance", "Thriving", "Delegated decisions"),
        ),
    )
    stages = Sheet("Stages", (("Key", "Name"), *((s.lower(), s) for s in STAGES)))
    by_rows = framework_from_sheets([rows, stages], "s.csv", DETAILS)
    by_matrix = framework_from_sheets(
        [
            matrix(
                ("Leadership", "Leaders meet\nThey share aims", "A plan", None, "Delivered"),
                ("Governance", "Loose forum", None, None, "Delegated decisions"),
            )
        ],
        "m.xlsx",
        DETAILS,
    )
    assert by_rows.domains == by_matrix.domains


def test_stages_out_of_order_in_a_domain_name_sheet_row_and_column():
    rows = Sheet(
        "Statements",
        (
            ("Domain", "Stage", "Statement"),
            ("Leadership", "Emerging", "a"),
            ("Leadership", "Thriving", "b"),
            ("Leadership", "Developing", "c"),
        ),
    )
    stages = Sheet("Stages", (("Name",), *((s,) for s in STAGES)))
    with pytest.raises(FrameworkFileError, match=r"sheet 'Statements', row 4, column B \(Stage\)"):
        framework_from_sheets([rows, stages], "s.xlsx", DETAILS)


def test_stage_columns_must_match_the_stages_and_be_in_order():
    stages = Sheet("Stages", (("Name",), *((s,) for s in STAGES)))
    bad_name = matrix(("L", "a", "b"), header=("Domain", "Emerging", "Maturing ICS"))
    with pytest.raises(FrameworkFileError) as info:
        framework_from_sheets([bad_name, stages], "m.xlsx", DETAILS)
    assert "sheet 'Matrix', row 1, column C (Maturing ICS)" in str(info.value)
    assert "does not match a stage" in str(info.value)
    backwards = matrix(("L", "a", "b"), header=("Domain", "Thriving", "Emerging"))
    with pytest.raises(FrameworkFileError, match="column C.*must be in order"):
        framework_from_sheets([backwards, stages], "m.xlsx", DETAILS)


def test_same_rules_as_yaml_statement_length_and_control_characters():
    long = matrix(("L", "ok\n" + "x" * 5001, None, None, None))
    with pytest.raises(FrameworkFileError) as info:
        framework_from_sheets([long], "m.xlsx", DETAILS)
    assert "sheet 'Matrix', row 2, column B (Emerging)" in str(info.value)
    assert "statement 2 is 5,001 characters; the limit is 5,000" in str(info.value)
    control = matrix(("L", None, "bad\x07bell", None, None))
    with pytest.raises(FrameworkFileError, match=r"row 2, column C \(Developing\).*U\+0007"):
        framework_from_sheets([control], "m.xlsx", DETAILS)


def test_missing_columns_and_details_are_named():
    with pytest.raises(FrameworkFileError, match="row 1: the column 'Domain' is missing"):
        framework_from_sheets([matrix(("a", "b"), header=("Area name", "Emerging"))], "m", DETAILS)
    rows = Sheet("Statements", (("Domain", "Stage"), ("L", "Emerging")))
    with pytest.raises(FrameworkFileError, match="the column 'Statement' is missing"):
        framework_from_sheets([rows], "s.csv", DETAILS)
    with pytest.raises(FrameworkFileError, match="version, publisher.*are missing"):
        framework_from_sheets(
            [matrix(("L", "a", "b", "c", "d"))],
            "m",
            {"key": "k", "name": "N", "published": "2024-01-01", "applies_to": "place partnership"},
        )


def test_domain_errors_from_the_yaml_rules_point_at_the_row():
    sheet = matrix(("Leadership", "a", None, None, None), ("Leadership", "b", None, None, None))
    with pytest.raises(
        FrameworkFileError, match="domain keys must be unique; repeated: leadership"
    ):
        framework_from_sheets([sheet], "m.xlsx", DETAILS)


def test_too_many_rows_named():
    rows = tuple(("L", f"s{i}") for i in range(10_000))
    sheet = Sheet("Matrix", (("Domain", "Emerging"), *rows))
    with pytest.raises(FrameworkFileError, match=r"sheet 'Matrix', row 5,002, column A"):
        framework_from_sheets([sheet], "m.xlsx", DETAILS)


def test_framework_sheet_details_and_a_stored_base():
    base = read_framework_file(frameworks_dir() / "syb_place_development_matrix_v1_4.yaml")
    sheet = matrix(("Purpose and Vision", "a", "b", None, "c"))
    fw = framework_from_sheets(
        [sheet], "new.xlsx", {"key": base.key, "version": "v1-5"}, {base.key: base}
    )
    assert (fw.name, fw.publisher, fw.stages) == (base.name, base.publisher, base.stages)
    details = Sheet(
        "Framework",
        (
            ("Field", "Value"),
            ("key", "k"),
            ("version", "2"),
            ("name", "N"),
            ("publisher", "P"),
            ("published", "2024-02-03"),
            ("applies to", "Integrated care system"),
            ("threshold", "Maturing"),
            ("note", "one"),
            ("note", "two"),
        ),
    )
    fw = framework_from_sheets([details, matrix(("L", "a", None, None, None))], "f.xlsx")
    assert fw.threshold_stage == "maturing" and fw.notes == ("one", "two")
    bad = Sheet("Framework", (("Field", "Value"), ("colour", "blue")))
    with pytest.raises(FrameworkFileError, match=r"sheet 'Framework', row 2, column A.*'colour'"):
        framework_from_sheets([bad, sheet], "f.xlsx", DETAILS)


def test_text_under_a_column_without_a_header_is_refused():
    sheet = matrix(("L", "a", None, None, None, None, "stray"))
    with pytest.raises(FrameworkFileError, match=r"row 2, column G: text in a column with no"):
        framework_from_sheets([sheet], "m.xlsx", DETAILS)


def test_helpers():
    assert [column_letter(n) for n in (1, 26, 27, 52)] == ["A", "Z", "AA", "AZ"]
    assert split_statements("• one\n  \n- two\n▪ three") == ["one", "- two", "three"]
