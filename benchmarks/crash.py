"""Crash injection: kill a writer with SIGKILL at random moments; count lost edits and damage.

    python benchmarks/crash.py --runs 1000 [--json] [--seconds 600]

Prints `lost=0 corrupt=0 runs=N`; with --json the last line is the figures object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import select
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[0] / "src"))
sys.path.insert(0, str(HERE))

import _crash_child  # noqa: E402

_EVIDENCE = re.compile(r"edit (\d+) ")


@dataclass
class CrashStats:
    """What a crash campaign found."""

    runs: int = 0
    acked: int = 0
    lost: int = 0
    corrupt: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)


def _kill_forked(db: Path, aid: str, seed: int, first_seq: int, delay: float) -> list[str]:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never returns
        os.close(read_fd)
        try:
            _crash_child.run_edits(
                db, aid, seed, first_seq, lambda s: os.write(write_fd, s.encode())
            )
        finally:
            os._exit(1)
    os.close(write_fd)
    chunks: list[bytes] = []
    deadline = time.monotonic() + delay
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([read_fd], [], [], left)
        if ready:
            data = os.read(read_fd, 65536)
            if not data:
                break
            chunks.append(data)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    while data := os.read(read_fd, 65536):
        chunks.append(data)
    os.close(read_fd)
    return b"".join(chunks).decode().splitlines()


def _kill_spawned(db: Path, aid: str, seed: int, first_seq: int, delay: float) -> list[str]:
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "_crash_child.py"), str(db), aid, str(seed), str(first_seq)],
        stdout=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)  # type: ignore[arg-type]
    reader.start()
    time.sleep(delay)
    proc.kill()
    proc.wait()
    reader.join()
    return lines


def verify(db: Path, acked: list[tuple[int, str, str]], last_seq: int) -> tuple[int, list[str]]:
    """Return (lost, problems): acknowledged edits missing from the database after a kill."""
    con = sqlite3.connect(db)  # read-write, so SQLite recovers the WAL as the app would
    try:
        problems = []
        check = con.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            problems.append(f"integrity_check: {check}")
        rows = {
            d: (int(m.group(1)) if (m := _EVIDENCE.match(ev)) else 0, st)
            for d, st, ev in con.execute("SELECT domain_key, stage, evidence FROM rating")
        }
    finally:
        con.close()
    last_for_domain: dict[str, tuple[int, str]] = {}
    for seq, domain, stage in acked:
        last_for_domain[domain] = (seq, stage)
    lost = 0
    in_flight = last_seq + 1  # the edit the child was making when killed may have committed
    for domain, (seq, stage) in last_for_domain.items():
        got_seq, got_stage = rows.get(domain, (0, None))
        if got_seq == seq and got_stage == stage:
            continue
        if got_seq == in_flight:
            continue
        lost += 1
        problems.append(
            f"{domain}: acknowledged edit {seq} ({stage}) but found {got_seq} ({got_stage})"
        )
    return lost, problems


def run_campaign(
    runs: int,
    *,
    seconds: float = 3600.0,
    seed: int = 2021,
    max_delay: float = 0.25,
    mode: str = "auto",
    folder: Path | None = None,
) -> CrashStats:
    """Kill an editing child `runs` times (or until `seconds` pass); returns the stats."""
    if mode == "auto":
        mode = "fork" if hasattr(os, "fork") else "spawn"
    kill = _kill_forked if mode == "fork" else _kill_spawned
    rng = random.Random(seed)
    stats = CrashStats()
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        db = Path(tmp) / "crash.sqlite3"
        aid = _crash_child.prepare(db)
        seq = 0
        started = time.monotonic()
        while stats.runs < runs and time.monotonic() - started < seconds:
            lines = kill(db, aid, rng.randrange(1 << 30), seq, rng.uniform(0.0, max_delay))
            acked = []
            for line in lines:
                parts = line.split()
                if len(parts) == 4 and parts[0] == "ACK":
                    acked.append((int(parts[1]), parts[2], parts[3]))
            last = acked[-1][0] if acked else seq
            lost, problems = verify(db, acked, last)
            stats.runs += 1
            stats.acked += len(acked)
            stats.lost += lost
            stats.corrupt += any(p.startswith("integrity_check") for p in problems)
            stats.problems += problems
            seq = last + 1  # skip the in-flight number so later runs cannot reuse it
        stats.seconds = time.monotonic() - started
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=3600.0, help="stop after this long")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--mode", choices=("auto", "fork", "spawn"), default="auto")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    max_delay = 0.25 if args.mode != "spawn" else 1.5  # a spawned child needs time to import
    stats = run_campaign(
        args.runs, seconds=args.seconds, seed=args.seed, mode=args.mode, max_delay=max_delay
    )
    for problem in stats.problems[:20]:
        print("problem:", problem)
    print(f"lost={stats.lost} corrupt={stats.corrupt} runs={stats.runs}")
    print(f"acknowledged edits checked: {stats.acked}; {stats.seconds:.1f} s")
    ok = stats.lost == 0 and stats.corrupt == 0
    if args.json:
        figures = [
            {
                "name": "crash_runs",
                "value": stats.runs,
                "unit": "kills",
                "target": args.runs,
                "ok": stats.runs >= args.runs,
            },
            {
                "name": "crash_lost_edits",
                "value": stats.lost,
                "unit": "edits",
                "target": 0,
                "ok": stats.lost == 0,
            },
            {
                "name": "crash_corrupt_databases",
                "value": stats.corrupt,
                "unit": "runs",
                "target": 0,
                "ok": stats.corrupt == 0,
            },
            {
                "name": "crash_acknowledged_edits",
                "value": stats.acked,
                "unit": "edits",
                "target": None,
                "ok": True,
            },
        ]
        print(json.dumps({"figures": figures}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
