"""Start-up time: first painted main window and entity list shown, against a bare Qt window.

Starts the app as a fresh process on a database holding the example data (or a big
generated one with --big), reads the milestones the app prints when
MATRIX_DESKTOP_STARTUP_PROBE is set, and compares with a bare PySide6 QMainWindow started
the same way in the same run. Median of --runs runs each (default 10).

With --compare-frozen PATH it also starts the PyInstaller bundle at PATH, interleaved with
the same app started from source, and reports frozen / source (target <= 1.1).

Run: QT_QPA_PLATFORM=offscreen python benchmarks/startup.py [--json] [--command CMD]
     [--compare-frozen build/dist/matrix-desktop/matrix-desktop]
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def prepare_database(path: Path) -> None:
    """Create a database holding the example data."""
    from matrix_desktop.paths import examples_dir
    from matrix_desktop.services.context import open_services

    svc = open_services(path)
    try:
        svc.exchange.import_paths([examples_dir()])
    finally:
        svc.close()


def remember_entity(home: Path, database: Path) -> None:
    """Make the app reopen on an entity (as after a previous session), so its radar is drawn."""
    from matrix_desktop.services.context import open_services

    svc = open_services(database, read_only=True)
    try:
        entities = svc.catalog.entities()
    finally:
        svc.close()
    if entities:
        (home / "settings.ini").write_text(f"[main_window]\nentity={entities[0].id}\n")


def run_once(command: list[str], env: dict[str, str]) -> dict[str, float]:
    """Start one process; return seconds from launch to each milestone it printed."""
    start = time.monotonic()
    proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    marks: dict[str, float] = {}
    for line in proc.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "startup":
            marks.setdefault(parts[1], float(parts[2]) - start)
    if "painted" not in marks or "data" not in marks:
        raise RuntimeError(
            f"{command[0]} printed no start-up milestones:\n{proc.stdout}\n{proc.stderr}"
        )
    return marks


def _median(samples: list[dict[str, float]]) -> dict[str, float]:
    keys = set.intersection(*(set(s) for s in samples))
    return {k: statistics.median(s[k] for s in samples) for k in keys}


def measure_interleaved(
    commands: list[list[str]], env: dict[str, str], runs: int
) -> list[dict[str, float]]:
    """Return median milestones of each command, run in turn so load hits all alike."""
    for command in commands:
        run_once(command, env)  # warm the file caches (and the bundle's font cache)
    samples: list[list[dict[str, float]]] = [[] for _ in commands]
    for _ in range(runs):
        for i, command in enumerate(commands):
            samples[i].append(run_once(command, env))
    return [_median(s) for s in samples]


def measure_pair(
    baseline: list[str], app: list[str], env: dict[str, str], runs: int
) -> tuple[dict[str, float], dict[str, float]]:
    """Return median milestones of baseline and app, run alternately so load hits both alike."""
    base, measured = measure_interleaved([baseline, app], env, runs)
    return base, measured


def frozen_figures(
    source: dict[str, float], frozen: dict[str, float], target: float = 1.1
) -> list[dict]:
    """Return the bundle's start-up figures and its ratios to the same start from source."""
    figures = [
        {
            "name": "frozen bundle first paint",
            "value": round(frozen["painted"] * 1000, 1),
            "unit": "ms",
            "target": None,
            "ok": True,
        },
        {
            "name": "frozen bundle entity list shown",
            "value": round(frozen["data"] * 1000, 1),
            "unit": "ms",
            "target": None,
            "ok": True,
        },
    ]
    for key, label in (("painted", "first paint"), ("data", "entity list shown")):
        ratio = frozen[key] / source[key]
        figures.append(
            {
                "name": f"frozen / source {label}",
                "value": round(ratio, 2),
                "unit": "ratio",
                "target": target,
                "ok": ratio <= target,
            }
        )
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--database", help="use this database instead of a fresh example one")
    parser.add_argument(
        "--big",
        action="store_true",
        help="use a copy of the generated 42 systems x 10 entities x 12 rounds database",
    )
    parser.add_argument(
        "--command",
        help="the app to start (default: this interpreter with -m matrix_desktop); "
        "e.g. build/dist/matrix-desktop/matrix-desktop for the bundle",
    )
    parser.add_argument(
        "--compare-frozen",
        metavar="PATH",
        help="also start this PyInstaller bundle, interleaved with the app from source, "
        "and report frozen / source start-up (target <= 1.1)",
    )
    args = parser.parse_args()
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = str(ROOT / "src")
    env["MATRIX_DESKTOP_STARTUP_PROBE"] = "1"
    env["MATRIX_DESKTOP_EXIT_AFTER_STARTUP"] = "1"
    # An installed app has its bytecode compiled (pip does it); a source tree may not, and
    # PYTHONDONTWRITEBYTECODE would make every start recompile. Measure the installed case.
    import compileall

    compileall.compile_dir(str(ROOT / "src"), quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        env["MATRIX_DESKTOP_HOME"] = tmp
        database = Path(args.database) if args.database else Path(tmp) / "examples.sqlite3"
        if args.big:
            import shutil

            sys.path.insert(0, str(ROOT / "benchmarks"))
            from _bigdb import make_big_database

            database = Path(tmp) / "big.sqlite3"
            shutil.copyfile(make_big_database(), database)
        elif not args.database:
            prepare_database(database)
        remember_entity(Path(tmp), database)
        app_cmd = (
            shlex.split(args.command) if args.command else [sys.executable, "-m", "matrix_desktop"]
        )
        commands = [
            [sys.executable, str(ROOT / "benchmarks" / "_bare_window.py")],
            [*app_cmd, "--database", str(database)],
        ]
        if args.compare_frozen:
            commands.append([str(Path(args.compare_frozen).resolve()), "--database", str(database)])
        bare, app, *frozen = measure_interleaved(commands, env, args.runs)
    paint_ratio = app["painted"] / bare["painted"]
    data_ratio = app["data"] / bare["painted"]
    figures = [
        {
            "name": "bare QMainWindow first paint",
            "value": round(bare["painted"] * 1000, 1),
            "unit": "ms",
            "target": None,
            "ok": True,
        },
        {
            "name": "app first paint",
            "value": round(app["painted"] * 1000, 1),
            "unit": "ms",
            "target": None,
            "ok": True,
        },
        {
            "name": "app entity list shown",
            "value": round(app["data"] * 1000, 1),
            "unit": "ms",
            "target": None,
            "ok": True,
        },
        {
            "name": "first paint / bare window",
            "value": round(paint_ratio, 2),
            "unit": "ratio",
            "target": 1.5,
            "ok": paint_ratio <= 1.5,
        },
        {
            "name": "entity list shown / bare window",
            "value": round(data_ratio, 2),
            "unit": "ratio",
            "target": 4.0,
            "ok": data_ratio <= 4.0,
        },
    ]
    if "services" in app:
        figures.append(
            {
                "name": "app fully loaded (services ready)",
                "value": round(app["services"] * 1000, 1),
                "unit": "ms",
                "target": None,
                "ok": True,
            }
        )
    if "radar" in app:
        figures.append(
            {
                "name": "app radar drawn",
                "value": round(app["radar"] * 1000, 1),
                "unit": "ms",
                "target": None,
                "ok": True,
            }
        )
        ratio = app["radar"] / bare["painted"]
        figures.append(
            {
                "name": "radar drawn / bare window",
                "value": round(ratio, 2),
                "unit": "ratio",
                "target": None,
                "ok": True,
            }
        )
    if frozen:
        figures += frozen_figures(app, frozen[0])
    if args.json:
        print(json.dumps({"figures": figures}))
    else:
        for f in figures:
            target = f" (target <= {f['target']})" if f["target"] else ""
            print(
                f"{f['name']:<40} {f['value']:>8} {f['unit']}{target} "
                f"{'ok' if f['ok'] else 'MISSED'}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
