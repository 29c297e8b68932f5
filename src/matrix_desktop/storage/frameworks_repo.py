"""Framework versions in the database, and loading the bundled matrices on first start."""

from __future__ import annotations

import json
from contextlib import AbstractContextManager
from functools import lru_cache
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from matrix_desktop.core.errors import NotFound
from matrix_desktop.core.framework import Framework
from matrix_desktop.core.framework_file import parse_framework, spec_from_framework
from matrix_desktop.core.model import utcnow
from matrix_desktop.storage.tables import FrameworkRow, MetaRow


class Sessions(Protocol):
    """What seeding needs of a Database (which imports this module to seed a new one)."""

    def reader(self) -> AbstractContextManager[Session]: ...

    def session(self) -> AbstractContextManager[Session]: ...


_SEEDED_KEY = "bundled_frameworks"


@lru_cache(maxsize=64)
def _parse(spec_json: str) -> Framework:
    return parse_framework(json.loads(spec_json), "database", stored=True)


def framework_from_row(row: FrameworkRow) -> Framework:
    return _parse(row.spec_json)


def list_frameworks(session: Session) -> list[Framework]:
    """Return every framework version in the database, by key then version."""
    rows = session.scalars(select(FrameworkRow).order_by(FrameworkRow.key, FrameworkRow.version))
    return [framework_from_row(r) for r in rows]


def get_framework(session: Session, key: str, version: str | None = None) -> Framework:
    """Return a framework version (the newest published if version is None)."""
    query = select(FrameworkRow).where(col(FrameworkRow.key) == key)
    if version is not None:
        query = query.where(col(FrameworkRow.version) == version)
    rows = list(session.scalars(query))
    if not rows:
        what = f"{key} version {version}" if version else key
        raise NotFound(f"framework {what} is not in this database")
    rows.sort(key=lambda r: (r.published, r.version))
    return framework_from_row(rows[-1])


def has_framework(session: Session, key: str, version: str) -> bool:
    row = session.scalar(
        select(col(FrameworkRow.id)).where(
            col(FrameworkRow.key) == key, col(FrameworkRow.version) == version
        )
    )
    return row is not None


def add_framework(session: Session, fw: Framework, *, bundled: bool = False) -> bool:
    """Store a framework version; returns False if that key and version already exist."""
    if has_framework(session, fw.key, fw.version):
        return False
    session.add(
        FrameworkRow(
            key=fw.key,
            version=fw.version,
            name=fw.name,
            publisher=fw.publisher,
            published=fw.published,
            bundled=bundled,
            spec_json=json.dumps(spec_from_framework(fw), ensure_ascii=False, sort_keys=True),
            imported_at=utcnow(),
        )
    )
    session.flush()
    return True


def seed_bundled_frameworks(db: Sessions) -> list[str]:
    """Load bundled framework files not yet loaded into this database; returns those added."""
    from matrix_desktop.core.framework_file import read_framework_file
    from matrix_desktop.paths import frameworks_dir

    files = sorted(p for p in frameworks_dir().glob("*.y*ml"))
    with db.reader() as session:
        meta = session.get(MetaRow, _SEEDED_KEY)
        seen = set(json.loads(meta.value)) if meta else set()
    todo = [p for p in files if p.name not in seen]
    if not todo:
        return []
    added = []
    with db.session() as session:
        for path in todo:
            fw = read_framework_file(path)
            if add_framework(session, fw, bundled=True):
                added.append(fw.title)
            seen.add(path.name)
        meta = session.get(MetaRow, _SEEDED_KEY)
        if meta is None:
            session.add(MetaRow(key=_SEEDED_KEY, value=json.dumps(sorted(seen))))
        else:
            meta.value = json.dumps(sorted(seen))
    return added
