"""Read-only queries for comparison screens: only the columns they need, in few round trips."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session

from matrix_desktop.core.comparison import AssessmentHead, RaisedTheme
from matrix_desktop.core.errors import NotFound
from matrix_desktop.core.framework import EntityKind, FrameworkRef
from matrix_desktop.core.model import AssessmentKind, Status, System, ThemeItem
from matrix_desktop.storage import repository as repo
from matrix_desktop.storage.convert import entity_from_row, system_from_row
from matrix_desktop.storage.pipeline import pipelines, run_pipelined
from matrix_desktop.storage.tables import (
    AssessmentRow,
    EntityRow,
    RatingRow,
    RoundRow,
    SystemRow,
    table_of,
)

_A = table_of(AssessmentRow)
_E = table_of(EntityRow)
_R = table_of(RoundRow)
_RT = table_of(RatingRow)
_S = table_of(SystemRow)

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
    query = _heads_query(
        system_id=system_id,
        kind=kind,
        status=status,
        entity_kind=entity_kind,
        framework=framework,
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
    return [_head(r) for r in rows]


def _head(r: Any) -> AssessmentHead:
    return AssessmentHead(
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


def _heads_query(
    *,
    system_id: str | None = None,
    kind: AssessmentKind | None = None,
    status: Status | None = None,
    entity_kind: EntityKind | None = None,
    framework: FrameworkRef | None = None,
) -> Any:
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
    return query


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
    rows: list[Any] = []
    for part in _chunks(list(entity_names)):
        rows.extend(
            session.execute(
                _STANDINGS.where(_RT.c.assessment_id.in_(part)).order_by(
                    _RT.c.assessment_id, _RT.c.domain_key
                )
            )
        )
    return _standings(rows, entity_names)


_STANDINGS = select(
    _RT.c.assessment_id,
    _RT.c.domain_key,
    _RT.c.stage,
    _RT.c.enablers_json,
    _RT.c.support_json,
    _RT.c.target_stage,
    _RT.c.target_date,
)


def _standings(
    rows: Iterable[Any], entity_names: dict[str, str]
) -> tuple[
    dict[str, dict[str, str | None]],
    list[RaisedTheme],
    dict[str, dict[str, tuple[str, str | None]]],
]:
    """standings_of from its query's rows."""
    stages: dict[str, dict[str, str | None]] = {aid: {} for aid in entity_names}
    themes: list[RaisedTheme] = []
    targets: dict[str, dict[str, tuple[str, str | None]]] = {}
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


@dataclass(frozen=True)
class SingleViewData:
    """What a system's single view is made of, read in one snapshot."""

    system: System
    entity_names: list[str]  # the system's entities, by kind then name
    chosen: list[AssessmentHead]  # each entity's latest final self-assessment
    stages: dict[str, dict[str, str | None]]
    raised: list[RaisedTheme]
    targets: dict[str, dict[str, tuple[str, str | None]]]


def _latest(heads: list[AssessmentHead], limit: int | None) -> list[AssessmentHead]:
    """Each entity's latest head (up to the round sequence limit)."""
    if limit is not None:
        heads = [h for h in heads if h.round_sequence <= limit]
    latest: dict[str, AssessmentHead] = {}
    for h in heads:  # by entity, round, creation: the last seen is the latest
        latest[h.entity_id] = h
    return list(latest.values())


def single_view_data(
    session: Session, system_id: str, up_to_round_id: str | None = None
) -> SingleViewData:
    """Read a system's single view: its entities, each one's latest final self-assessment
    (up to a round) and their ratings' stages, themes and targets.

    On a server all of it goes in one pipeline with the transaction's BEGIN and ROLLBACK
    (one round trip); elsewhere query by query. Raises NotFound for an unknown system or round.
    """
    heads_query = _heads_query(
        system_id=system_id, kind=AssessmentKind.SELF_ASSESSMENT, status=Status.FINAL
    )
    if not pipelines(session):
        system = repo.get_system(session, system_id)
        entities = [e.name for e in repo.list_entities(session, system_id)]
        limit = repo.get_round(session, up_to_round_id).sequence if up_to_round_id else None
        chosen = _latest([_head(r) for r in session.execute(heads_query).all()], limit)
        stages, raised, targets = standings_of(session, {h.id: h.entity_name for h in chosen})
        return SingleViewData(system, entities, chosen, stages, raised, targets)
    # The ratings of each entity's latest final self-assessment (up to the round): any with
    # none later, so ties are kept too and _latest chooses among them as on SQLite.
    limit_of = (
        select(_R.c.sequence).where(_R.c.id == up_to_round_id).scalar_subquery()
        if up_to_round_id
        else None
    )
    later, later_round = _A.alias("later"), _R.alias("later_round")
    newer = (
        select(later.c.id)
        .join(later_round, later_round.c.id == later.c.round_id)
        .where(
            later.c.entity_id == _A.c.entity_id,
            later.c.kind == AssessmentKind.SELF_ASSESSMENT.value,
            later.c.status == Status.FINAL.value,
            or_(
                later_round.c.sequence > _R.c.sequence,
                and_(
                    later_round.c.sequence == _R.c.sequence,
                    later.c.created_at > _A.c.created_at,
                ),
            ),
        )
    )
    candidates = (
        select(_A.c.id)
        .join(_E, _E.c.id == _A.c.entity_id)
        .join(_R, _R.c.id == _A.c.round_id)
        .where(
            _E.c.system_id == system_id,
            _A.c.kind == AssessmentKind.SELF_ASSESSMENT.value,
            _A.c.status == Status.FINAL.value,
        )
    )
    if limit_of is not None:
        newer = newer.where(later_round.c.sequence <= limit_of)
        candidates = candidates.where(_R.c.sequence <= limit_of)
    candidates = candidates.where(~exists(newer))
    statements: list[Any] = [
        select(_S).where(_S.c.id == system_id),
        repo.entities_query(system_id),
        heads_query,
        _STANDINGS.where(_RT.c.assessment_id.in_(candidates)).order_by(
            _RT.c.assessment_id, _RT.c.domain_key
        ),
    ]
    if up_to_round_id:
        statements.append(select(_R.c.sequence).where(_R.c.id == up_to_round_id))
    system_rows, entity_rows, head_rows, rating_rows, *round_rows = run_pipelined(
        session, statements, end="ROLLBACK"
    )
    if not system_rows:
        raise NotFound(f"no system with id {system_id}")
    limit = None
    if up_to_round_id:
        if not round_rows[0]:
            raise NotFound(f"no round with id {up_to_round_id}")
        limit = int(round_rows[0][0][0])
    chosen = _latest([_head(r) for r in head_rows], limit)
    names = {h.id: h.entity_name for h in chosen}
    # In the order standings_of reads them: by chunk of ids, then (the server's order) by
    # id and domain.
    chunk = {aid: i // CHUNK for i, aid in enumerate(names)}
    kept = sorted((r for r in rating_rows if r[0] in names), key=lambda r: chunk[r[0]])
    stages, raised, targets = _standings(kept, names)
    return SingleViewData(
        system_from_row(system_rows[0]),
        [entity_from_row(r).name for r in entity_rows],
        chosen,
        stages,
        raised,
        targets,
    )


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
