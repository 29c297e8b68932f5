"""Helpers shared by the storage safety tests: a small workshop database and logical dumps."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from matrix_desktop.core.framework import EntityKind
from matrix_desktop.services.context import open_services

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "db"


@dataclass
class Workshop:
    """A database with one place partnership and one draft assessment."""

    path: Path
    assessment_id: str
    domain: str = "leadership_and_governance"


def make_workshop(path: Path) -> Workshop:
    """Create a workshop database at path; returns it."""
    svc = open_services(path, user="tester")
    try:
        fw = svc.catalog.framework("syb-place-development-matrix")
        system = svc.catalog.create_system("South Yorkshire and Bassetlaw", "SYB")
        entity = svc.catalog.create_entity(system.id, "Doncaster", EntityKind.PLACE_PARTNERSHIP)
        aid = svc.assessments.create(entity.id, fw, "2021/22 Q2").id
    finally:
        svc.close()
    return Workshop(path, aid, fw.domains[0].key)


def logical_dump(path: Path) -> list[str]:
    """Return the database's SQL dump (schema and rows): equal dumps mean equal data."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return list(con.iterdump())
    finally:
        con.close()
