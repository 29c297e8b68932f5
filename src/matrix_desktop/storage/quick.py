"""A fast first read for the window's navigator, with stdlib sqlite3 only (no SQLAlchemy import).

Start-up shows the partnerships from this read while the full storage layer loads in the
background. It is used only when the file's schema is the current one; otherwise the
normal path (which migrates) runs.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from matrix_desktop.core.framework import EntityKind
from matrix_desktop.core.model import Entity, System
from matrix_desktop.storage.schema import HEAD_REVISION

Navigation = list[tuple[System, list[tuple[Entity, int]]]]


def read_navigation(path: Path) -> Navigation | None:
    """Return systems with their entities and assessment counts, or None if not readable now."""
    if not path.is_file():
        return None
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=2)
    except sqlite3.Error:
        return None
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        if not row or row[0] != HEAD_REVISION:
            return None
        counts = dict(con.execute("SELECT entity_id, count(*) FROM assessment GROUP BY entity_id"))
        systems = [
            System(*r)
            for r in con.execute(
                "SELECT id, name, short_name FROM system WHERE archived_at IS NULL ORDER BY name"
            )
        ]
        entities: dict[str, list[tuple[Entity, int]]] = {s.id: [] for s in systems}
        for eid, sid, name, kind, members in con.execute(
            "SELECT id, system_id, name, kind, members_json FROM entity "
            "WHERE archived_at IS NULL ORDER BY kind, name"
        ):
            entity = Entity(eid, sid, name, EntityKind(kind), tuple(json.loads(members)))
            if sid in entities:  # not of an archived system
                entities[sid].append((entity, counts.get(eid, 0)))
        return [(s, entities[s.id]) for s in systems]
    except (sqlite3.Error, ValueError):
        return None
    finally:
        con.close()
