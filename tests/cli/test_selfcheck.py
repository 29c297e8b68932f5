"""`--self-check` from source, and the installation's bad cases: odd paths, read-only folders."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from matrix_desktop.__main__ import main

ROOT = Path(__file__).resolve().parents[2]
STEPS = (
    "resources",
    "database and migrations",
    "frameworks",
    "import example",
    "radar PNG/SVG",
    "PDF",
    "Word document",
    "server client",
    "window",
)


def _copy_install(target: Path) -> Path:
    """Copy what an installation needs (package, resources, examples) to target; return it."""
    for name in ("src", "resources", "assessments"):
        shutil.copytree(
            ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    return target


def _env(install: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MATRIX_DESKTOP_")}
    env.update(
        PYTHONPATH=str(install / "src"), QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1"
    )
    env.update(extra)
    return env


def _app(*args: str) -> list[str]:
    return [sys.executable, "-m", "matrix_desktop", *args]


def _read_only(command: list[str], folders: list[Path]) -> list[str]:
    """Wrap command so that folders are read-only while it runs (even for root, via a mount)."""
    if os.geteuid() != 0:
        for folder in folders:
            subprocess.run(["chmod", "-R", "a-w", str(folder)], check=True)
        return command
    if shutil.which("unshare") is None:
        pytest.skip("running as root without unshare: cannot make a folder read-only for root")
    script = (
        'for d in "$@"; do [ "$d" = -- ] && break; mount --bind "$d" "$d" && '
        'mount -o remount,bind,ro "$d" || exit 97; done; shift $(( $# - N )); exec "$@"'
    )
    script = script.replace("N", str(len(command)))
    return ["unshare", "-Urm", "sh", "-c", script, "sh", *map(str, folders), "--", *command]


def _restore(folders: list[Path]) -> None:
    if os.geteuid() != 0:
        for folder in folders:
            subprocess.run(["chmod", "-R", "u+w", str(folder)], check=False)


def test_self_check_passes_from_source(capsys):
    assert main(["--self-check"]) == 0
    out = capsys.readouterr().out
    for step in STEPS:
        assert f"ok      {step}" in out
    assert "self-check passed" in out and "source tree" in out


def test_self_check_names_what_is_missing(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("MATRIX_DESKTOP_RESOURCES", str(tmp_path))
    assert main(["--self-check"]) == 1
    err = capsys.readouterr().err
    assert "FAILED  resources" in err and "frameworks" in err and str(tmp_path) in err


def test_a_failing_step_stops_the_check_with_exit_1(capsys, monkeypatch):
    from matrix_desktop.cli import selfcheck

    def broken(check):
        raise RuntimeError("no radar today")

    steps = tuple(
        (name, broken if name == "radar PNG/SVG" else step) for name, step in selfcheck.STEPS
    )
    monkeypatch.setattr(selfcheck, "STEPS", steps)
    assert main(["--self-check"]) == 1
    captured = capsys.readouterr()
    assert "ok      import example" in captured.out and "PDF" not in captured.out
    assert "FAILED  radar PNG/SVG" in captured.err and "no radar today" in captured.err


def test_the_window_step_is_given_by_the_entry_point_not_imported_by_the_cli(tmp_path):
    from matrix_desktop.cli.selfcheck import SelfCheck, _step_gui

    check = SelfCheck(tmp_path, found={"database": tmp_path / "db.sqlite3"})
    assert _step_gui(check) == "skipped (this entry point has no desktop application)"
    seen = []
    check.window = lambda database, settings: seen.append((database, settings)) or "rendered"
    assert _step_gui(check) == "rendered"
    assert seen == [(tmp_path / "db.sqlite3", tmp_path / "settings.ini")]


@pytest.mark.slow
def test_self_check_from_a_path_with_spaces_and_non_ascii(tmp_path):
    install = _copy_install(tmp_path / "Mätrix dir ü" / "app folder")
    result = subprocess.run(
        _app("--self-check"),
        cwd=install,
        env=_env(install),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert "Mätrix dir ü/app folder/resources" in result.stdout


@pytest.mark.slow
def test_read_only_install_folder_and_home(tmp_path):
    install = _copy_install(tmp_path / "install")
    home = tmp_path / "home"
    home.mkdir()
    env = _env(install, HOME=str(home))
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "MPLCONFIGDIR"):
        env.pop(name, None)
    folders = [install, home]
    try:
        checked = subprocess.run(
            _read_only(_app("--self-check"), folders),
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        default_db = subprocess.run(
            _read_only(_app("frameworks", "list"), folders),
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        elsewhere = tmp_path / "writable" / "matrix.sqlite3"
        elsewhere.parent.mkdir()
        explicit = subprocess.run(
            _read_only(_app("frameworks", "list", "--database", str(elsewhere)), folders),
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        _restore(folders)
    # The self-check needs only a temporary folder; it works from a read-only install.
    assert checked.returncode == 0, checked.stderr
    assert "self-check passed" in checked.stdout
    # The default database cannot be created: a clear message naming the folder, exit 1.
    assert default_db.returncode == 1
    assert str(home / ".local" / "share" / "matrix-desktop") in default_db.stderr
    assert "--database" in default_db.stderr and "MATRIX_DESKTOP_HOME" in default_db.stderr
    assert "Traceback" not in default_db.stderr
    # Pointing it at a writable place works.
    assert explicit.returncode == 0, explicit.stderr
    assert "syb-place-development-matrix" in explicit.stdout
    assert not any(home.iterdir()), "nothing may be written to a read-only home"
