"""The command line: the same services as the GUI, no display, non-zero exit on failure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from matrix_desktop.__main__ import main
from matrix_desktop.paths import examples_dir

SRC = Path(__file__).resolve().parents[2] / "src"


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_help_runs_without_a_display():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env["PYTHONPATH"] = str(SRC)
    result = subprocess.run(
        [sys.executable, "-m", "matrix_desktop", "--help"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0
    assert "frameworks" in result.stdout and "import" in result.stdout


def test_frameworks_list(capsys, db_path):
    code, out, _ = run(capsys, "frameworks", "list", "--database", str(db_path))
    assert code == 0
    assert "syb-place-development-matrix" in out and "threshold: Maturing" in out


def test_database_from_environment(capsys, db_path, monkeypatch):
    monkeypatch.setenv("MATRIX_DESKTOP_DATABASE", str(db_path))
    code, _, err = run(capsys, "check")
    assert code == 1 and "no such database" in err and not db_path.exists()
    code, _, _ = run(capsys, "frameworks", "list")
    assert code == 0 and db_path.exists()


def test_import_export_and_check(capsys, db_path, tmp_path):
    code, out, _ = run(
        capsys, "--database", str(db_path), "import", "--dry-run", str(examples_dir())
    )
    assert code == 0 and "nothing was changed" in out
    code, out, _ = run(capsys, "--database", str(db_path), "entities")
    assert "no assessments" not in out and "Barnsley" not in out
    code, out, _ = run(capsys, "--database", str(db_path), "import", str(examples_dir()))
    assert code == 0 and "21 new" in out
    target = tmp_path / "barnsley.mdx.json"
    code, out, _ = run(
        capsys,
        "--database",
        str(db_path),
        "export",
        "--entity",
        "Barnsley Place Partnership",
        "-o",
        str(target),
    )
    assert code == 0 and target.exists()
    code, out, _ = run(capsys, "--database", str(db_path), "check")
    assert code == 0 and "integrity_check: ok" in out and "assessments: 21" in out


def test_bad_input_exits_non_zero_with_a_message(capsys, db_path, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json", encoding="utf-8")
    code, _, err = run(capsys, "--database", str(db_path), "import", str(bad))
    assert code == 1 and "bad.json" in err and "not valid JSON" in err
    code, _, err = run(
        capsys,
        "--database",
        str(db_path),
        "export",
        "--entity",
        "Atlantis",
        "-o",
        str(tmp_path / "x.json"),
    )
    assert code == 1 and "Atlantis" in err
    broken = tmp_path / "fw.yaml"
    broken.write_text("format: 1\nkey: x\n", encoding="utf-8")
    code, _, err = run(capsys, "--database", str(db_path), "frameworks", "import", str(broken))
    assert code == 1 and "fw.yaml" in err


def test_newer_database_exits_non_zero(capsys, db_path):
    import sqlite3

    run(capsys, "--database", str(db_path), "frameworks", "list")
    con = sqlite3.connect(db_path)
    con.execute("UPDATE alembic_version SET version_num='9999'")
    con.commit()
    con.close()
    code, _, err = run(capsys, "--database", str(db_path), "frameworks", "list")
    assert code == 1 and "newer version" in err and str(db_path) in err


def test_framework_new_version_round_trip(capsys, db_path, tmp_path):
    import yaml

    out = tmp_path / "syb.yaml"
    code, _, _ = run(
        capsys,
        "--database",
        str(db_path),
        "frameworks",
        "export",
        "syb-place-development-matrix",
        "-o",
        str(out),
    )
    assert code == 0
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    data["domains"][0]["descriptors"]["maturing"] = [
        "Partners review the shared vision every year."
    ]
    out.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    code, _, err = run(capsys, "--database", str(db_path), "frameworks", "import", str(out))
    assert code == 1 and "new version" in err  # same version, different content: refused
    data["version"] = "v1-5"
    out.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    code, out_text, _ = run(capsys, "--database", str(db_path), "frameworks", "import", str(out))
    assert code == 0 and "added" in out_text
    code, out_text, _ = run(capsys, "--database", str(db_path), "frameworks", "list")
    assert "v1-4" in out_text and "v1-5" in out_text
