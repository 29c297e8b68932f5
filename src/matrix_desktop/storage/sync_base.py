"""Merge bases: the content each assessment had when it was exported or imported (sync_base).

Lookups read hashes first (cheap) and the stored content only for the few assessments an
import actually merges field by field; writes go in one bulk statement.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.orm import Session

from matrix_desktop.storage.repository import _CHUNK, _insert_many
from matrix_desktop.storage.tables import SyncBaseRow, table_of

_T = table_of(SyncBaseRow)


def base_hashes(session: Session, assessment_ids: Iterable[str]) -> dict[str, list[str]]:
    """Return, per assessment id, the hashes of its stored bases, the newest first."""
    out: dict[str, list[str]] = {}
    ids = list(dict.fromkeys(assessment_ids))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        query = (
            select(_T.c.assessment_id, _T.c.content_hash)
            .where(_T.c.assessment_id.in_(chunk))
            .order_by(_T.c.assessment_id, _T.c.shared_at.desc(), _T.c.content_hash)
        )
        for aid, digest in session.execute(query):
            out.setdefault(aid, []).append(digest)
    return out


def base_contents(session: Session, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Return the stored content of (assessment id, content hash) pairs that exist."""
    out: dict[tuple[str, str], str] = {}
    pairs = list(dict.fromkeys(keys))
    step = _CHUNK // 2
    for start in range(0, len(pairs), step):
        chunk = pairs[start : start + step]
        query = select(_T.c.assessment_id, _T.c.content_hash, _T.c.content_json).where(
            or_(*(and_(_T.c.assessment_id == a, _T.c.content_hash == h) for a, h in chunk))
        )
        for aid, digest, text in session.execute(query):
            out[(aid, digest)] = text
    return out


def insert_bases(session: Session, rows: list[tuple[str, str, str, str]]) -> None:
    """Insert (assessment id, content hash, content JSON, shared at) rows not yet stored."""
    _insert_many(
        session,
        _T,
        [
            {"assessment_id": a, "content_hash": h, "content_json": j, "shared_at": at}
            for a, h, j, at in rows
        ],
    )


def prune_bases(
    session: Session, known: dict[str, list[str]], added: dict[str, list[str]], keep: int
) -> None:
    """Delete all but the `keep` newest bases of each assessment.

    known: the hashes stored before (newest first, as base_hashes returns them); added: the
    hashes just inserted, newest first. Only assessments over the limit cost a statement.
    """
    for aid, new in added.items():
        ordered = list(dict.fromkeys([*new, *known.get(aid, ())]))
        extra = ordered[keep:]
        if extra:
            session.execute(
                delete(_T).where(_T.c.assessment_id == aid, _T.c.content_hash.in_(extra))
            )
