"""Shared builders for exchange tests: a small framework, a database with an assessment, dumps."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from matrix_desktop.core.framework import EntityKind, Framework
from matrix_desktop.core.framework_file import parse_framework
from matrix_desktop.services.context import Services, open_services

SMALL_SPEC = {
    "format": 1,
    "key": "test-matrix",
    "version": "v1",
    "name": "Test Matrix",
    "publisher": "Tests",
    "published": "2024-01-01",
    "source": "tests/exchange/helpers.py",
    "applies_to": ["place_partnership", "provider_collaborative"],
    "stages": [
        {"key": "emerging", "name": "Emerging"},
        {"key": "developing", "name": "Developing"},
        {"key": "maturing", "name": "Maturing"},
        {"key": "thriving", "name": "Thriving"},
    ],
    "domains": [
        {
            "key": f"d{n}",
            "title": f"Domain {n}",
            "descriptors": {"emerging": [f"Statement {n}a"], "thriving": [f"Statement {n}b"]},
        }
        for n in range(1, 4)
    ],
}


def small_framework() -> Framework:
    return parse_framework(SMALL_SPEC, "test")


def open_db(path: Path, user: str = "tester") -> Services:
    return open_services(path, user=user)


def add_place(svc: Services, system: str = "Test ICS", place: str = "Testplace"):  # type: ignore[no-untyped-def]
    """Return a new entity (creating its system if needed)."""
    try:
        sys_ = svc.catalog.find_system(system)
    except Exception:
        sys_ = svc.catalog.create_system(system)
    return svc.catalog.create_entity(sys_.id, place, EntityKind.PLACE_PARTNERSHIP)


def new_assessment(
    svc: Services, fw: Framework, round_name: str = "2021/22 Q2", place: str = "Testplace"
):  # type: ignore[no-untyped-def]
    """Return an assessment with two participants, a rating per domain and a vote."""
    svc.catalog.add_framework(fw)
    svc.catalog.frameworks()  # warm the cache outside a write transaction (see report)
    entity = add_place(svc, place=place)
    a = svc.assessments.create(
        entity.id,
        fw,
        round_name,
        facilitator="Fay",
        participants=[("Ann", "Council"), ("Bo", "NHS")],
    )
    for i, d in enumerate(fw.domains):
        svc.assessments.execute(
            svc.assessments.edit_rating(a.id, d.key, stage=fw.stages[i % 4].key, evidence=f"ev {i}")
        )
    p = svc.assessments.get(a.id).participants[0]
    svc.assessments.execute(svc.assessments.set_vote(a.id, p.id, fw.domains[0].key, "developing"))
    return svc.assessments.get(a.id)


def set_stage(
    svc: Services, assessment_id: str, domain: str, stage: str | None, **more: object
) -> None:
    svc.assessments.execute(svc.assessments.edit_rating(assessment_id, domain, stage=stage, **more))


def logical_dump(path: Path) -> list[tuple[str, list[tuple[object, ...]]]]:
    """Return every table's rows, sorted: equal dumps mean equal databases."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return [
            (t, sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)) for t in tables
        ]
    finally:
        con.close()
