"""Read-only queries for comparison screens: only the columns they need, in few round trips."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from matrix_desktop.core.comparison import AssessmentHead, RaisedTheme
from matrix_desktop.core.framework import EntityKind, FrameworkRef
from matrix_desktop.core.model import AssessmentKind, Status, ThemeItem
from matrix_desktop.storage.tables import AssessmentRow, EntityRow, RatingRow, RoundRow, table_of

_A = table_of(AssessmentRow)
_E = table_of(EntityRow)
_R = table_of(RoundRow)
_RT = table_of(RatingRow)

CHUNK = 500  # ids per IN (...) list, well under SQLite's bound-parameter limit


def _chunks(ids: Sequence[str]) -> Iterator[list[str]]:
    for i in range(0, len(ids), CHUNK):
        yield list(ids[i : i + CHUNK])


def list_heads(
    session: Session,
    *,
    system_id: str | None = None,
    entity_ids: Iterable[str] | None = None,
    round_ids: Iterable[str] | None = None,
    assessment_ids: Iterable[str] | None = None,
    kind: AssessmentKind | None = None,
    status: Status | None = None,
    entity_kind: EntityKind | None = None,
    framework: FrameworkRef | None = None,
) -> list[AssessmentHead]:
    """Return the heads of assessments matching every filter given, by entity then round."""
    query = (
        select(
            _A.c.id,
            _A.c.entity_id,
            _E.c.name,
            _E.c.kind,
            _E.c.system_id,
            _A.c.round_id,
            _R.c.name,
            _R.c.sequence,
            _A.c.framework_key,
            _A.c.framework_version,
            _A.c.kind,
            _A.c.status,
            _A.c.reviews_id,
            _A.c.title,
        )
        .join(_E, _E.c.id == _A.c.entity_id)
        .join(_R, _R.c.id == _A.c.round_id)
        .order_by(_E.c.kind, _E.c.name, _R.c.sequence, _A.c.created_at)
    )
    if system_id is not None:
        query = query.where(_E.c.system_id == system_id)
    if kind is not None:
        query = query.where(_A.c.kind == kind.value)
    if status is not None:
        query = query.where(_A.c.status == status.value)
    if entity_kind is not None:
        query = query.where(_E.c.kind == EntityKind(entity_kind).value)
    if framework is not None:
        query = query.where(
            _A.c.framework_key == framework.key, _A.c.framework_version == framework.version
        )
    if round_ids is not None:
        query = query.where(_A.c.round_id.in_(list(round_ids)))
    # Large id lists go through in chunks; everything else is one statement.
    id_filters = [
        (c, list(v))
        for c, v in ((_A.c.entity_id, entity_ids), (_A.c.id, assessment_ids))
        if v is not None
    ]
    if not id_filters:
        rows = session.execute(query).all()
    else:
        (column, ids), rest = id_filters[0], id_filters[1:]
        for other, values in rest:
            query = query.where(other.in_(values))
        rows = []
        for part in _chunks(ids):
            rows.extend(session.execute(query.where(column.in_(part))).all())
    return [
        AssessmentHead(
            id=r[0],
            entity_id=r[1],
            entity_name=r[2],
            entity_kind=EntityKind(r[3]),
            system_id=r[4],
            round_id=r[5],
            round_name=r[6],
            round_sequence=r[7],
            framework=FrameworkRef(r[8], r[9]),
            kind=AssessmentKind(r[10]),
            status=Status(r[11]),
            reviews_id=r[12],
            title=r[13],
        )
        for r in rows
    ]


def stages_of(session: Session, assessment_ids: Sequence[str]) -> dict[str, dict[str, str | None]]:
    """Return {assessment id: {domain key: stage key or None}} for the given assessments."""
    out: dict[str, dict[str, str | None]] = {aid: {} for aid in assessment_ids}
    query = select(_RT.c.assessment_id, _RT.c.domain_key, _RT.c.stage)
    for part in _chunks(list(assessment_ids)):
        for aid, domain, stage in session.execute(query.where(_RT.c.assessment_id.in_(part))):
            out[aid][domain] = stage
    return out


def standings_of(
    session: Session, entity_names: dict[str, str]
) -> tuple[
    dict[str, dict[str, str | None]],
    list[RaisedTheme],
    dict[str, dict[str, tuple[str, str | None]]],
]:
    """Return the stages, raised themes and targets of the assessments {id: entity name}.

    One query over their ratings (a server round trip saved against three): what
    stages_of, themes_of and plan_queries.targets_of return, in one read.
    """
    stages: dict[str, dict[str, str | None]] = {aid: {} for aid in entity_names}
    themes: list[RaisedTheme] = []
    targets: dict[str, dict[str, tuple[str, str | None]]] = {}
    query = select(
        _RT.c.assessment_id,
        _RT.c.domain_key,
        _RT.c.stage,
        _RT.c.enablers_json,
        _RT.c.support_json,
        _RT.c.target_stage,
        _RT.c.target_date,
    )
    for part in _chunks(list(entity_names)):
        rows = session.execute(
            query.where(_RT.c.assessment_id.in_(part)).order_by(
                _RT.c.assessment_id, _RT.c.domain_key
            )
        )
        for aid, domain, stage, enablers, support, target, target_date in rows:
            stages[aid][domain] = stage
            if target is not None:
                targets.setdefault(aid, {})[domain] = (target, target_date)
            for kind, raw in (("enabler", enablers), ("support", support)):
                if raw and raw != "[]":
                    for d in json.loads(raw):
                        item = ThemeItem(d["text"], tuple(d.get("tags", ())))
                        themes.append(RaisedTheme(entity_names[aid], domain, kind, item))  # type: ignore[arg-type]
    return stages, themes, targets


def themes_of(session: Session, entity_names: dict[str, str]) -> list[RaisedTheme]:
    """Return the enablers and support requests of the assessments {id: entity name} names."""
    query = select(_RT.c.assessment_id, _RT.c.domain_key, _RT.c.enablers_json, _RT.c.support_json)
    out: list[RaisedTheme] = []
    for part in _chunks(list(entity_names)):
        for aid, domain, enablers, support in session.execute(
            query.where(_RT.c.assessment_id.in_(part)).order_by(
                _RT.c.assessment_id, _RT.c.domain_key
            )
        ):
            name = entity_names[aid]
            for kind, raw in (("enabler", enablers), ("support", support)):
                if raw and raw != "[]":
                    for d in json.loads(raw):
                        item = ThemeItem(d["text"], tuple(d.get("tags", ())))
                        out.append(RaisedTheme(name, domain, kind, item))  # type: ignore[arg-type]
    return out
