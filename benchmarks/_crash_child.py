"""Crash-test child: makes random edits through the services and reports each acknowledged one.

Each line written after `execute` returns is `ACK <seq> <domain> <stage>`; the parent kills
this process at random moments and checks every acknowledged edit survived. Run directly
(`python _crash_child.py DB SEED`) it prints the lines on stdout; forked, it writes them to
a pipe.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def prepare(db_path: Path) -> str:
    """Create a database with one place and one draft assessment; returns the assessment id."""
    from matrix_desktop.core.framework import EntityKind
    from matrix_desktop.services.context import open_services

    svc = open_services(db_path, user="crash-test")
    try:
        fw = svc.catalog.framework("syb-place-development-matrix")
        system = svc.catalog.create_system("South Yorkshire and Bassetlaw", "SYB")
        entity = svc.catalog.create_entity(system.id, "Doncaster", EntityKind.PLACE_PARTNERSHIP)
        return svc.assessments.create(entity.id, fw, "2021/22 Q2", facilitator="Crash").id
    finally:
        svc.close()


def run_edits(db_path: Path, assessment_id: str, seed: int, first_seq: int, emit) -> None:  # type: ignore[no-untyped-def]
    """Edit ratings forever (until killed), calling emit(line) after each commit returns."""
    from matrix_desktop.services.context import open_services

    rng = random.Random(seed)
    svc = open_services(
        db_path,
        user="crash-test",
    )
    fw = svc.assessments.framework_of(svc.assessments.get(assessment_id))
    domains = [d.key for d in fw.domains]
    stages = [s.key for s in fw.stages]
    seq = first_seq
    while True:
        seq += 1
        domain = rng.choice(domains)
        stage = rng.choice(stages)
        cmd = svc.assessments.edit_rating(
            assessment_id, domain, stage=stage, evidence=f"edit {seq} " + "x" * rng.randint(0, 3000)
        )
        svc.assessments.execute(cmd)
        emit(f"ACK {seq} {domain} {stage}\n")


def main() -> int:
    db_path, assessment_id, seed, first_seq = (
        Path(sys.argv[1]),
        sys.argv[2],
        int(sys.argv[3]),
        int(sys.argv[4]),
    )

    def emit(line: str) -> None:
        sys.stdout.write(line)
        sys.stdout.flush()

    run_edits(db_path, assessment_id, seed, first_seq, emit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
