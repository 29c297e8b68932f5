"""Tests for `report ...` and `export csv|xlsx|png|svg` on the command line, with no display."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reports"))
from report_fixtures import ENTITY, ROUND, SYSTEM, example_db, page_count  # noqa: E402,F401

from matrix_desktop.cli.main import run_cli  # noqa: E402


@pytest.fixture
def db(example_db: Path, tmp_path: Path) -> str:  # noqa: F811
    copy = tmp_path / "db.sqlite3"
    shutil.copy(example_db, copy)
    return str(copy)


def test_report_peer_review(db, tmp_path, capsys):
    out = tmp_path / "peer.pdf"
    code = run_cli(
        [
            "--database",
            db,
            "report",
            "peer-review",
            "--entity",
            ENTITY,
            "--round",
            ROUND,
            "-o",
            str(out),
            "--no-charts",
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert page_count(out) > 15


def test_report_system_and_worksheets(db, tmp_path):
    assert (
        run_cli(
            [
                "--database",
                db,
                "report",
                "system",
                "--system",
                SYSTEM,
                "-o",
                str(tmp_path / "s.pdf"),
                "--no-charts",
                "--page-size",
                "letter",
            ]
        )
        == 0
    )
    assert (
        run_cli(
            [
                "--database",
                db,
                "report",
                "worksheets",
                "--framework",
                "syb-place-development-matrix",
                "-o",
                str(tmp_path / "w.pdf"),
            ]
        )
        == 0
    )
    assert page_count(tmp_path / "w.pdf") == 14


def test_export_data_and_charts_and_exchange_still_works(db, tmp_path):
    assert (
        run_cli(
            ["--database", db, "export", "xlsx", "--system", SYSTEM, "-o", str(tmp_path / "d.xlsx")]
        )
        == 0
    )
    assert (
        run_cli(
            [
                "--database",
                db,
                "export",
                "csv",
                "--entity",
                ENTITY,
                "--table",
                "votes",
                "-o",
                str(tmp_path / "v.csv"),
            ]
        )
        == 0
    )
    assert (tmp_path / "v.csv").read_text("utf-8-sig").startswith("entity,round")
    assert (
        run_cli(
            [
                "--database",
                db,
                "export",
                "svg",
                "--entity",
                ENTITY,
                "--round",
                ROUND,
                "-o",
                str(tmp_path / "r.svg"),
            ]
        )
        == 0
    )
    assert b"<svg" in (tmp_path / "r.svg").read_bytes()
    assert (
        run_cli(
            ["--database", db, "export", "png", "--system", SYSTEM, "-o", str(tmp_path / "h.png")]
        )
        == 0
    )
    assert (tmp_path / "h.png").read_bytes()[:4] == b"\x89PNG"
    assert (
        run_cli(
            ["--database", db, "export", "--entity", ENTITY, "-o", str(tmp_path / "b.mdx.json")]
        )
        == 0
    )
    assert (tmp_path / "b.mdx.json").stat().st_size > 1000


@pytest.mark.parametrize(
    "argv, message",
    [
        (["report", "peer-review", "--entity", "Nowhere", "--round", ROUND], "no entity named"),
        (["report", "peer-review", "--entity", ENTITY, "--round", "1999"], "no round named"),
        (["report", "system", "--system", "Atlantis"], "no system named"),
        (["report", "worksheets", "--framework", "nope"], "framework nope"),
        (["export", "csv", "--entity", ENTITY, "--table", "nope"], "no table named"),
    ],
)
def test_bad_input_exits_non_zero_with_a_message(db, tmp_path, capsys, argv, message):
    code = run_cli(["--database", db, *argv, "-o", str(tmp_path / "x.pdf")])
    assert code != 0
    assert message in capsys.readouterr().err


def test_unwritable_output_exits_non_zero(db, tmp_path, capsys):
    code = run_cli(
        [
            "--database",
            db,
            "report",
            "peer-review",
            "--entity",
            ENTITY,
            "--round",
            ROUND,
            "-o",
            str(tmp_path / "no" / "such" / "x.pdf"),
        ]
    )
    assert code == 1
    assert "does not exist" in capsys.readouterr().err


def test_export_png_at_a_chosen_dpi(tmp_path):
    import struct

    from matrix_desktop.__main__ import main
    from matrix_desktop.paths import examples_dir

    db = tmp_path / "db.sqlite3"
    assert (
        main(
            [
                "--database",
                str(db),
                "import",
                str(examples_dir()),
            ]
        )
        == 0
    )
    small, large = tmp_path / "a.png", tmp_path / "b.png"
    for path, dpi in ((small, 72), (large, 200)):
        code = main(
            [
                "--database",
                str(db),
                "export",
                "png",
                "--entity",
                "Barnsley Place Partnership",
                "--round",
                "2021/22 Q2",
                "--dpi",
                str(dpi),
                "-o",
                str(path),
            ]
        )
        assert code == 0
    width = lambda p: struct.unpack(">I", p.read_bytes()[16:20])[0]  # noqa: E731
    assert width(large) > 2 * width(small)
    assert (
        main(
            [
                "--database",
                str(db),
                "export",
                "png",
                "--entity",
                "Barnsley Place Partnership",
                "--round",
                "2021/22 Q2",
                "--dpi",
                "5",
                "-o",
                str(small),
            ]
        )
        == 1
    )


def test_report_docx_and_as_at_round(db, tmp_path, capsys):
    from docx import Document

    peer = tmp_path / "peer.docx"
    args = ["--database", db, "report", "peer-review", "--entity", ENTITY, "--round", ROUND]
    assert run_cli([*args, "--format", "docx", "-o", str(peer), "--no-charts"]) == 0
    headings = [p.text for p in Document(str(peer)).paragraphs if p.style.name == "Heading 1"]
    assert "Summary" in headings
    system = tmp_path / "s.docx"
    code = run_cli(
        [
            *("--database", db, "report", "system", "--system", SYSTEM),
            *("--round", "2020/21 Q4", "-o", str(system)),
        ]
    )
    assert code == 0, capsys.readouterr().err
    doc = Document(str(system))
    assert "as at 2020/21 Q4" in doc.paragraphs[1].text
    # a format that does not match the file name is refused, and nothing is written
    capsys.readouterr()
    wrong = tmp_path / "wrong.pdf"
    assert run_cli([*args, "--format", "docx", "-o", str(wrong)]) != 0
    assert "needs a .docx file name" in capsys.readouterr().err
    assert not wrong.exists()


def test_worksheets_default_to_the_framework_in_use(db, tmp_path, capsys):
    from report_fixtures import pdftotext

    out = tmp_path / "w.pdf"
    assert run_cli(["--database", db, "report", "worksheets", "-o", str(out)]) == 0
    assert "SYB Place Development Matrix" in pdftotext(out, 1, 1)
    assert (
        run_cli(
            [
                "--database",
                db,
                "report",
                "worksheets",
                "-o",
                str(out),
                "--entity",
                "South Yorkshire and Bassetlaw ICS (system level)",
            ]
        )
        == 0
    )
    assert "integrated care systems" in " ".join(pdftotext(out, 1, 1).split())
