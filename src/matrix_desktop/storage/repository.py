"""Queries and writes over one session; every function returns core values, never rows."""

from __future__ import annotations

import json
from collections import namedtuple
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Table, delete, func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from matrix_desktop.core.errors import NotFound
from matrix_desktop.core.framework import EntityKind
from matrix_desktop.core.model import (
    Assessment,
    AssessmentRecord,
    AuditEvent,
    Entity,
    Rating,
    Round,
    System,
    Vote,
    new_id,
    utcnow,
)
from matrix_desktop.core.names import clean_name, name_key
from matrix_desktop.storage import edits
from matrix_desktop.storage.convert import (
    assessment_from_row,
    assessment_to_row,
    assessment_values,
    audit_from_row,
    entity_from_row,
    rating_from_row,
    rating_to_row,
    rating_values,
    round_from_row,
    system_from_row,
    vote_from_row,
)
from matrix_desktop.storage.tables import (
    AssessmentRow,
    AuditRow,
    EntityRow,
    MetaRow,
    RatingRow,
    RoundRow,
    SyncHashRow,
    SystemRow,
    VoteRow,
    table_of,
)

_CHUNK = 500  # ids per IN (...) query, well under SQLite's variable limit

# -- systems, entities, rounds -------------------------------------------------------------


_Row = TypeVar("_Row")


def list_systems(session: Session) -> list[System]:
    """Return all systems by name."""
    return [system_from_row(r) for r in session.scalars(select(SystemRow).order_by(SystemRow.name))]


def get_system(session: Session, system_id: str) -> System:
    row = session.get(SystemRow, system_id)
    if row is None:
        raise NotFound(f"no system with id {system_id}")
    return system_from_row(row)


def find_system(session: Session, name: str) -> System | None:
    """Return the system with this name or short name (see _named), or None."""
    rows = list(session.scalars(select(SystemRow)))
    found = _named(rows, name, lambda r: (r.name, r.short_name or ""))
    return system_from_row(found[0]) if found else None


def put_system(session: Session, system: System) -> System:
    """Insert or update a system; returns it."""
    row = session.get(SystemRow, system.id) or SystemRow(id=system.id)  # type: ignore[call-arg]
    row.name, row.short_name, row.modified_at = system.name, system.short_name, utcnow()
    session.add(row)
    session.flush()
    return system


def list_entities(session: Session, system_id: str | None = None) -> list[Entity]:
    """Return entities (of one system, or all), by kind then name."""
    return [entity_from_row(r) for r in session.scalars(entities_query(system_id))]


def entities_query(system_id: str | None = None) -> Any:
    """The query of list_entities."""
    query = select(EntityRow).order_by(EntityRow.kind, EntityRow.name)
    if system_id is not None:
        query = query.where(col(EntityRow.system_id) == system_id)
    return query


def get_entity(session: Session, entity_id: str) -> Entity:
    row = session.get(EntityRow, entity_id)
    if row is None:
        raise NotFound(f"no entity with id {entity_id}")
    return entity_from_row(row)


def find_entity(session: Session, name: str) -> list[Entity]:
    """Return entities whose name matches (by name key, else by a prefix of the key)."""
    rows = list(session.scalars(select(EntityRow)))
    chosen = _named(rows, name, lambda r: (r.name,))
    if not chosen:
        key = name_key(name)
        chosen = [r for r in rows if name_key(r.name).startswith(key)] if key else []
    return [entity_from_row(r) for r in chosen]


def _named(rows: list[_Row], typed: str, names: Callable[[_Row], tuple[str, ...]]) -> list[_Row]:
    """Return the rows a typed name names: exactly as typed, else ignoring case, else by
    core.names.name_key (case, spacing, invisible and look-alike characters ignored).

    The exact comparison comes first so a name beginning or ending with a tab or space (as
    an imported file may carry) can be named on the command line, beside one without.
    """
    low, key = typed.lower(), name_key(typed)
    for same in (
        lambda n: n == typed,
        lambda n: n.lower() == low,
        lambda n: bool(key) and name_key(n) == key,
    ):
        found = [r for r in rows if any(same(n) for n in names(r) if n)]
        if found:
            return found
    return []


def put_entity(session: Session, entity: Entity) -> Entity:
    row = session.get(EntityRow, entity.id) or EntityRow(id=entity.id)  # type: ignore[call-arg]
    row.system_id = entity.system_id
    row.name = entity.name
    row.kind = EntityKind(entity.kind).value
    row.members_json = json.dumps(list(entity.members), ensure_ascii=False)
    row.modified_at = utcnow()
    session.add(row)
    session.flush()
    return entity


def list_rounds(session: Session) -> list[Round]:
    """Return rounds in order (sequence, then name)."""
    rows = session.scalars(select(RoundRow).order_by(col(RoundRow.sequence), RoundRow.name))
    return [round_from_row(r) for r in rows]


def get_round(session: Session, round_id: str) -> Round:
    row = session.get(RoundRow, round_id)
    if row is None:
        raise NotFound(f"no round with id {round_id}")
    return round_from_row(row)


def find_round(session: Session, name: str) -> Round | None:
    found = _named(list(session.scalars(select(RoundRow))), name, lambda r: (r.name,))
    return round_from_row(found[0]) if found else None


def put_round(session: Session, rnd: Round) -> Round:
    row = session.get(RoundRow, rnd.id) or RoundRow(id=rnd.id)  # type: ignore[call-arg]
    row.name, row.sequence = rnd.name, rnd.sequence
    session.add(row)
    session.flush()
    return rnd


def ensure_round(session: Session, name: str, sequence: int | None = None) -> Round:
    """Return the round with this name, creating it (after the last round) if missing.

    Race-free: the insert does nothing when another writer created the same name a moment
    ago (it waits for that writer's commit), and the round is then read back.
    """
    found = find_round(session, name)
    if found is not None:
        return found
    name = clean_name(name)
    rounds = table_of(RoundRow)
    if sequence is None:
        next_sequence: Any = select(func.coalesce(func.max(rounds.c.sequence), 0) + 1)
        next_sequence = next_sequence.scalar_subquery()
    else:
        next_sequence = sequence
    insert_unless_exists(
        session, rounds, {"id": new_id(), "name": name, "sequence": next_sequence}, ["name"]
    )
    row = session.execute(select(rounds).where(rounds.c.name == name)).one()
    return Round(row.id, row.name, row.sequence)


def insert_unless_exists(
    session: Session, table: Table, values: dict[str, Any], unique: list[str]
) -> bool:
    """Insert a row unless one with the same unique columns exists; returns whether it did.

    INSERT .. ON CONFLICT DO NOTHING (PostgreSQL and SQLite): two writers adding the same
    name at once give one row and no error.
    """
    from sqlalchemy.dialects import postgresql, sqlite

    postgres = session.get_bind().dialect.name == "postgresql"
    dialect_insert: Any = postgresql.insert if postgres else sqlite.insert
    statement = (
        dialect_insert(table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=unique)
        .returning(table.c[unique[0]])
    )
    # RETURNING, not rowcount: the psycopg driver reports -1 for this statement.
    return session.execute(statement).first() is not None


def add_system(session: Session, system: System) -> bool:
    """Insert a new system; returns False (nothing written) when the name is taken."""
    return insert_unless_exists(
        session,
        table_of(SystemRow),
        {
            "id": system.id,
            "name": system.name,
            "short_name": system.short_name,
            "modified_at": utcnow(),
        },
        ["name"],
    )


def add_entity(session: Session, entity: Entity) -> bool:
    """Insert a new entity; returns False (nothing written) when its system has that name."""
    return insert_unless_exists(
        session,
        table_of(EntityRow),
        {
            "id": entity.id,
            "system_id": entity.system_id,
            "name": entity.name,
            "kind": EntityKind(entity.kind).value,
            "members_json": json.dumps(list(entity.members), ensure_ascii=False),
            "modified_at": utcnow(),
        },
        ["system_id", "name"],
    )


# -- assessments ---------------------------------------------------------------------------


def list_assessments(
    session: Session, entity_id: str | None = None, round_id: str | None = None
) -> list[Assessment]:
    """Return assessments (filtered), by round order then kind."""
    query = (
        select(AssessmentRow)
        .join(RoundRow, col(RoundRow.id) == AssessmentRow.round_id)
        .order_by(col(RoundRow.sequence), AssessmentRow.kind, AssessmentRow.created_at)
    )
    if entity_id is not None:
        query = query.where(col(AssessmentRow.entity_id) == entity_id)
    if round_id is not None:
        query = query.where(col(AssessmentRow.round_id) == round_id)
    return [assessment_from_row(r) for r in session.scalars(query)]


def count_assessments_by_entity(session: Session) -> dict[str, int]:
    """Return how many assessments each entity has (entities with none are absent)."""
    rows = session.execute(
        select(col(AssessmentRow.entity_id), func.count()).group_by(AssessmentRow.entity_id)
    )
    return {entity_id: int(n) for entity_id, n in rows}


def count_rated_by_assessment(session: Session, entity_id: str) -> dict[str, int]:
    """Return, for each of an entity's assessments, how many domains have a stage set.

    One query for all of them; an assessment with none rated is listed with 0.
    """
    rated = func.count(col(RatingRow.stage))  # COUNT(column) skips the NULLs: unrated domains
    rows = session.execute(
        select(col(AssessmentRow.id), rated)
        .select_from(AssessmentRow)
        .outerjoin(RatingRow, col(RatingRow.assessment_id) == col(AssessmentRow.id))
        .where(col(AssessmentRow.entity_id) == entity_id)
        .group_by(col(AssessmentRow.id))
    )
    return {assessment_id: int(n) for assessment_id, n in rows}


def get_assessment(session: Session, assessment_id: str) -> Assessment:
    row = session.get(AssessmentRow, assessment_id)
    if row is None:
        raise NotFound(f"no assessment with id {assessment_id}")
    return assessment_from_row(row)


def has_assessment(session: Session, assessment_id: str) -> bool:
    return session.get(AssessmentRow, assessment_id) is not None


def get_record(session: Session, assessment_id: str) -> AssessmentRecord:
    """Return an assessment with its ratings and votes."""
    assessment = get_assessment(session, assessment_id)
    ratings = session.scalars(
        select(RatingRow).where(col(RatingRow.assessment_id) == assessment_id)
    )
    votes = session.scalars(select(VoteRow).where(col(VoteRow.assessment_id) == assessment_id))
    return AssessmentRecord(
        assessment,
        tuple(rating_from_row(r) for r in ratings),
        tuple(vote_from_row(v) for v in votes),
    )


def get_records(session: Session, assessment_ids: list[str]) -> dict[str, AssessmentRecord]:
    """Return the records (ratings and votes included) of the ids that exist, in few queries."""
    out: dict[str, AssessmentRecord] = {}
    ids = list(dict.fromkeys(assessment_ids))
    table, ratings_t, votes_t = (
        table_of(AssessmentRow),
        table_of(RatingRow),
        table_of(VoteRow),
    )
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        # Plain driver rows, not ORM objects or Core rows: for an import's thousands of
        # records (tens of thousands of votes) building those is the slow part.
        found = {r.id: assessment_from_row(r) for r in _rows_in(session, table, "id", chunk)}
        if not found:
            continue
        keys = list(found)
        ratings: dict[str, list[Rating]] = {k: [] for k in keys}
        votes: dict[str, list[Vote]] = {k: [] for k in keys}
        for rr in _rows_in(session, ratings_t, "assessment_id", keys):
            ratings[rr.assessment_id].append(rating_from_row(rr))
        for vr in _rows_in(session, votes_t, "assessment_id", keys):
            votes[vr.assessment_id].append(vote_from_row(vr))
        for k, a in found.items():
            out[k] = AssessmentRecord(a, tuple(ratings[k]), tuple(votes[k]))
    return out


_ROW_TYPES: dict[str, Any] = {}


def _placeholder(session: Session) -> str:
    """Return the driver's parameter marker: these helpers talk to the driver directly."""
    return "?" if session.get_bind().dialect.name == "sqlite" else "%s"


def _rows_in(session: Session, table: Table, column: str, values: list[str]) -> list[Any]:
    """Return a table's rows whose column is one of values, as named tuples (column order).

    Runs on the session's own driver connection, so it sees the session's transaction.
    """
    names = [c.name for c in table.columns]
    row_type: Any = _ROW_TYPES.get(table.name)
    if row_type is None:
        row_type = _ROW_TYPES[table.name] = namedtuple(f"{table.name}_row", names)
    mark = _placeholder(session)
    sql = 'SELECT {} FROM "{}" WHERE "{}" IN ({})'.format(
        ", ".join(f'"{n}"' for n in names), table.name, column, ",".join([mark] * len(values))
    )
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(sql, values)
        return list(map(row_type._make, cursor.fetchall()))
    finally:
        cursor.close()


def get_rating(session: Session, assessment_id: str, domain_key: str) -> Rating:
    """Return one domain's rating (an empty one if never rated); NotFound if no assessment."""
    row = session.get(RatingRow, (assessment_id, domain_key))
    if row is not None:
        return rating_from_row(row)
    get_assessment(session, assessment_id)
    return Rating(assessment_id, domain_key)


def get_vote(session: Session, assessment_id: str, participant_id: str, domain_key: str) -> Vote:
    """Return one participant's view of a domain (stage None if none recorded)."""
    row = session.get(VoteRow, (assessment_id, participant_id, domain_key))
    return Vote(assessment_id, participant_id, domain_key, row.stage if row else None)


class SqlAssessmentStore:
    """Whole-row writes over one session: creating assessments and importing them.

    A user's edit never comes here: it goes through storage.edits (only the fields touched,
    compare-and-set against what the user saw).
    """

    def __init__(self, session: Session):
        self.session = session

    def put_assessment(self, assessment: Assessment) -> None:
        row = self.session.get(AssessmentRow, assessment.id)
        self.session.add(assessment_to_row(assessment, row))
        self.session.flush()

    def put_rating(self, rating: Rating) -> None:
        row = self.session.get(RatingRow, (rating.assessment_id, rating.domain_key))
        self.session.add(rating_to_row(rating, row))
        self.session.flush()

    def put_vote(self, vote: Vote) -> None:
        key = (vote.assessment_id, vote.participant_id, vote.domain_key)
        row = self.session.get(VoteRow, key)
        if vote.stage is None:
            if row is not None:
                self.session.delete(row)
        elif row is None:
            self.session.add(
                VoteRow(
                    **dict(
                        zip(("assessment_id", "participant_id", "domain_key"), key, strict=True)
                    ),
                    stage=vote.stage,
                )
            )
        else:
            row.stage = vote.stage
        self.session.flush()

    def put_record(self, record: AssessmentRecord) -> None:
        """Write a whole assessment, replacing its ratings and votes."""
        self.put_assessment(record.assessment)
        aid = record.assessment.id
        self.session.execute(delete(VoteRow).where(col(VoteRow.assessment_id) == aid))
        self.session.execute(delete(RatingRow).where(col(RatingRow.assessment_id) == aid))
        self.session.add_all(rating_to_row(r) for r in record.ratings)
        self.session.add_all(
            VoteRow(
                assessment_id=aid,
                participant_id=v.participant_id,
                domain_key=v.domain_key,
                stage=v.stage,
            )
            for v in record.votes
            if v.stage is not None
        )
        self.session.flush()


def insert_records(session: Session, records: list[AssessmentRecord]) -> None:
    """Insert new assessments with their ratings and votes in a few bulk statements.

    For imports of thousands of records: no ORM objects are built. The ids must be new.
    """
    if not records:
        return
    now = utcnow()
    session.flush()
    _insert_many(
        session,
        table_of(AssessmentRow),
        [assessment_values(r.assessment) for r in records],
    )
    _insert_many(
        session,
        table_of(RatingRow),
        [rating_values(x, now) for r in records for x in r.ratings],
    )
    votes = [
        {
            "assessment_id": r.assessment.id,
            "participant_id": v.participant_id,
            "domain_key": v.domain_key,
            "stage": v.stage,
        }
        for r in records
        for v in r.votes
        if v.stage is not None
    ]
    _insert_many(session, table_of(VoteRow), votes)


def _insert_many(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows (dicts with the same keys) in one executemany on the session's connection.

    The driver's own executemany: SQLAlchemy's per-row parameter processing costs more than
    SQLite's insert for an import's tens of thousands of rows.
    """
    if not rows:
        return
    session.flush()  # rows the ORM still holds go first (foreign keys are checked at once)
    names = list(rows[0])
    mark = _placeholder(session)
    sql = 'INSERT INTO "{}" ({}) VALUES ({})'.format(
        table.name, ", ".join(f'"{n}"' for n in names), ", ".join([mark] * len(names))
    )
    cursor = session.connection().connection.cursor()
    try:
        cursor.executemany(sql, [tuple(row[n] for n in names) for row in rows])
    finally:
        cursor.close()


def insert_sync_hashes(session: Session, rows: list[tuple[str, str]], at: str) -> None:
    """Insert (assessment id, content hash) pairs not yet recorded, in one statement."""
    _insert_many(
        session,
        table_of(SyncHashRow),
        [{"assessment_id": a, "content_hash": h, "shared_at": at} for a, h in rows],
    )


def touch_assessment(session: Session, assessment_id: str) -> None:
    """Bump an assessment's revision and modification time after any edit of its content."""
    row = session.get(AssessmentRow, assessment_id)
    if row is not None:
        row.revision += 1
        row.modified_at = utcnow()
        session.flush()


# -- sync ancestry -------------------------------------------------------------------------


def sync_hashes(session: Session, assessment_ids: list[str]) -> dict[str, set[str]]:
    """Return, per assessment id, the content hashes it had when exported or imported."""
    out: dict[str, set[str]] = {}
    ids = list(dict.fromkeys(assessment_ids))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        query = select(col(SyncHashRow.assessment_id), col(SyncHashRow.content_hash)).where(
            col(SyncHashRow.assessment_id).in_(chunk)
        )
        for aid, digest in session.execute(query):
            out.setdefault(aid, set()).add(digest)
    return out


def recent_sync_hashes(session: Session, assessment_id: str, limit: int) -> list[str]:
    """Return up to limit of an assessment's sync hashes, the most recently shared first."""
    query = (
        select(col(SyncHashRow.content_hash))
        .where(col(SyncHashRow.assessment_id) == assessment_id)
        .order_by(col(SyncHashRow.shared_at).desc(), SyncHashRow.content_hash)
        .limit(limit)
    )
    return list(session.scalars(query))


def add_sync_hashes(
    session: Session,
    assessment_id: str,
    hashes: set[str],
    at: str,
    known: set[str] | None = None,
) -> None:
    """Record content hashes as shared for an assessment (known: those already recorded)."""
    if not hashes:
        return
    if known is None:
        known = sync_hashes(session, [assessment_id]).get(assessment_id, set())
    session.add_all(
        SyncHashRow(assessment_id=assessment_id, content_hash=h, shared_at=at)
        for h in sorted(hashes - known)
    )
    session.flush()


# -- audit trail and metadata --------------------------------------------------------------


def append_audit(session: Session, event: AuditEvent) -> int:
    """Add an audit event; returns its id (one appender: storage.edits.append_audit)."""
    return edits.append_audit(session, event)


def append_audits(session: Session, events: list[AuditEvent]) -> None:
    """Append many audit events in one statement (in order)."""
    _insert_many(
        session,
        table_of(AuditRow),
        [
            {
                "at": e.at,
                "user": e.user,
                "action": e.action,
                "assessment_id": e.assessment_id,
                "domain_key": e.domain_key,
                "detail": e.detail,
            }
            for e in events
        ],
    )


def list_audit(
    session: Session, assessment_id: str | None = None, limit: int = 1000
) -> list[AuditEvent]:
    """Return audit events, newest first."""
    query = select(AuditRow).order_by(col(AuditRow.id).desc()).limit(limit)
    if assessment_id is not None:
        query = query.where(col(AuditRow.assessment_id) == assessment_id)
    return [audit_from_row(r) for r in session.scalars(query)]


def get_meta(session: Session, key: str) -> str | None:
    row = session.get(MetaRow, key)
    return row.value if row else None


def set_meta(session: Session, key: str, value: str) -> None:
    row = session.get(MetaRow, key)
    if row is None:
        session.add(MetaRow(key=key, value=value))
    else:
        row.value = value
