"""The repository: queries and writes over one session, returning core values, never rows."""

from __future__ import annotations

import pytest

from matrix_desktop.core.errors import NotFound
from matrix_desktop.core.framework import EntityKind
from matrix_desktop.core.model import (
    Assessment,
    AssessmentKind,
    AssessmentRecord,
    AuditEvent,
    Entity,
    Participant,
    Rating,
    Round,
    System,
    Vote,
)
from matrix_desktop.storage import repository as repo
from matrix_desktop.storage.database import Database, open_database

PLACE, COLLAB = EntityKind.PLACE_PARTNERSHIP, EntityKind.PROVIDER_COLLABORATIVE


@pytest.fixture
def db(tmp_path):
    database = open_database(tmp_path / "repo.sqlite3")
    yield database
    database.close()


def _setup(db: Database) -> tuple[Entity, Entity, Round, Round]:
    with db.session() as s:
        repo.put_system(s, System("s1", "South Yorkshire and Bassetlaw", "SYB"))
        repo.put_system(s, System("s2", "Cheshire and Merseyside"))
        rot = repo.put_entity(s, Entity("e1", "s1", "Rotherham", PLACE, ("Council", "NHS")))
        acute = repo.put_entity(s, Entity("e2", "s1", "Acute federation", COLLAB))
        repo.put_entity(s, Entity("e3", "s2", "Wirral", PLACE))
        later = repo.ensure_round(s, "2022/23 Q1", sequence=5)
        first = repo.ensure_round(s, "2021/22 Q2", sequence=2)
    return rot, acute, first, later


def _assessment(aid: str, entity: Entity, rnd: Round, **kw) -> Assessment:
    return Assessment(aid, entity.id, "syb-place-development-matrix", "v1-4", rnd.id, **kw)


def test_systems_by_name_found_by_name_or_short_name(db):
    _setup(db)
    with db.session() as s:
        assert [x.name for x in repo.list_systems(s)] == [
            "Cheshire and Merseyside",
            "South Yorkshire and Bassetlaw",
        ]
        assert repo.get_system(s, "s1").short_name == "SYB"
        assert repo.find_system(s, " syb ") == repo.find_system(s, "south yorkshire and bassetlaw")
        assert repo.find_system(s, "Nowhere") is None
        with pytest.raises(NotFound, match="no system with id nope"):
            repo.get_system(s, "nope")
        repo.put_system(s, System("s2", "Cheshire and Merseyside ICS", "C&M"))
    with db.session() as s:
        assert repo.get_system(s, "s2") == System("s2", "Cheshire and Merseyside ICS", "C&M")


def test_entities_by_kind_then_name_and_found_exactly_else_by_prefix(db):
    rot, acute, _, _ = _setup(db)
    with db.session() as s:
        assert [e.name for e in repo.list_entities(s)] == [
            "Rotherham",
            "Wirral",
            "Acute federation",
        ]
        assert repo.list_entities(s, "s1") == [rot, acute]
        assert repo.get_entity(s, "e1").members == ("Council", "NHS")
        assert repo.find_entity(s, "rotherham") == [rot]
        assert repo.find_entity(s, "ROT") == [rot]
        assert repo.find_entity(s, "Sheffield") == []
        with pytest.raises(NotFound):
            repo.get_entity(s, "nope")


def test_rounds_are_ensured_once_and_listed_in_sequence(db):
    _, _, first, later = _setup(db)
    with db.session() as s:
        assert repo.list_rounds(s) == [first, later]
        assert repo.ensure_round(s, " 2021/22 q2 ") == first  # found, not made again
        made = repo.ensure_round(s, "2023/24 Q1")
        assert made.sequence == later.sequence + 1  # after the last round
        assert repo.get_round(s, made.id) == made
        assert repo.find_round(s, "2030") is None
        with pytest.raises(NotFound):
            repo.get_round(s, "nope")


def test_records_are_written_whole_and_read_back_with_ratings_and_votes(db):
    rot, acute, first, later = _setup(db)
    people = (Participant("p1", "Ann"), Participant("p2", "Bob", "Council"))
    a1 = _assessment("a1", rot, later, participants=people, title="Spring")
    a2 = _assessment("a2", rot, first)
    a3 = _assessment("a3", acute, first, kind=AssessmentKind.PEER_REVIEW)
    rec = AssessmentRecord(
        a1,
        (Rating("a1", "purpose_and_vision", stage="maturing", evidence="minutes"),),
        (Vote("a1", "p1", "purpose_and_vision", "developing"), Vote("a1", "p2", "x", None)),
    )
    with db.session() as s:
        store = repo.SqlAssessmentStore(s)
        for r in (rec, AssessmentRecord(a2), AssessmentRecord(a3)):
            store.put_record(r)
    with db.session() as s:
        got = repo.get_record(s, "a1")
        assert got.assessment.participants == people and got.assessment.title == "Spring"
        assert got.ratings == rec.ratings
        assert got.votes == (rec.votes[0],)  # an abstention is not stored
        # by round order, then kind (its stored value: peer_review before self_assessment)
        assert [a.id for a in repo.list_assessments(s)] == ["a3", "a2", "a1"]
        assert [a.id for a in repo.list_assessments(s, entity_id=rot.id)] == ["a2", "a1"]
        assert [a.id for a in repo.list_assessments(s, round_id=first.id)] == ["a3", "a2"]
        assert repo.count_assessments_by_entity(s) == {"e1": 2, "e2": 1}
        assert repo.has_assessment(s, "a3") and not repo.has_assessment(s, "nope")
        with pytest.raises(NotFound):
            repo.get_assessment(s, "nope")
        records = repo.get_records(s, ["a1", "nope", "a2", "a1"])
        assert list(records) == ["a1", "a2"] and records["a1"] == got
        # Writing the record again replaces its ratings and votes.
        repo.SqlAssessmentStore(s).put_record(AssessmentRecord(a1, (), ()))
        assert repo.get_record(s, "a1").ratings == () and repo.get_record(s, "a1").votes == ()


def test_one_rating_or_view_at_a_time(db):
    rot, _, first, _ = _setup(db)
    with db.session() as s:
        store = repo.SqlAssessmentStore(s)
        store.put_assessment(_assessment("a1", rot, first))
        assert repo.get_rating(s, "a1", "d1") == Rating("a1", "d1")  # never rated: empty
        with pytest.raises(NotFound):
            repo.get_rating(s, "nope", "d1")
        store.put_rating(Rating("a1", "d1", stage="thriving"))
        store.put_rating(Rating("a1", "d1", stage="maturing", rationale="agreed"))
        assert repo.get_rating(s, "a1", "d1").stage == "maturing"
        assert repo.get_vote(s, "a1", "p1", "d1") == Vote("a1", "p1", "d1", None)
        store.put_vote(Vote("a1", "p1", "d1", "emerging"))
        store.put_vote(Vote("a1", "p1", "d1", "developing"))
        assert repo.get_vote(s, "a1", "p1", "d1").stage == "developing"
        store.put_vote(Vote("a1", "p1", "d1", None))  # a view taken back is deleted
        assert repo.get_record(s, "a1").votes == ()
        revision = repo.get_assessment(s, "a1").revision
        repo.touch_assessment(s, "a1")
        repo.touch_assessment(s, "nope")  # nothing to touch: no error
        assert repo.get_assessment(s, "a1").revision == revision + 1


def test_bulk_insert_reads_back_the_same_records(db):
    rot, acute, first, later = _setup(db)
    records = [
        AssessmentRecord(
            _assessment(f"b{i}", rot if i % 2 else acute, first if i < 3 else later),
            (Rating(f"b{i}", "d1", stage="emerging"), Rating(f"b{i}", "d2")),
            (Vote(f"b{i}", "p1", "d1", "emerging"), Vote(f"b{i}", "p2", "d1", None)),
        )
        for i in range(6)
    ]
    with db.session() as s:
        repo.insert_records(s, records)
        repo.insert_records(s, [])
    with db.session() as s:
        got = repo.get_records(s, [r.assessment.id for r in records])
        for r in records:
            assert got[r.assessment.id].assessment == r.assessment
            assert sorted(got[r.assessment.id].ratings, key=lambda x: x.domain_key) == list(
                r.ratings
            )
            assert got[r.assessment.id].votes == r.votes[:1]


def test_sync_hashes_recorded_once_and_listed_most_recent_first(db):
    rot, _, first, _ = _setup(db)
    with db.session() as s:
        repo.SqlAssessmentStore(s).put_assessment(_assessment("a1", rot, first))
        repo.add_sync_hashes(s, "a1", {"h1", "h2"}, "2024-01-01T00:00:00")
        repo.add_sync_hashes(s, "a1", {"h2", "h3"}, "2024-02-01T00:00:00")  # h2 known already
        repo.add_sync_hashes(s, "a1", set(), "2024-03-01T00:00:00")
        repo.insert_sync_hashes(s, [("a1", "h4")], "2024-04-01T00:00:00")
        assert repo.sync_hashes(s, ["a1", "a1", "nope"]) == {"a1": {"h1", "h2", "h3", "h4"}}
        assert repo.recent_sync_hashes(s, "a1", 3) == ["h4", "h3", "h1"]


def test_audit_trail_newest_first_and_metadata(db):
    rot, _, first, _ = _setup(db)
    with db.session() as s:
        repo.SqlAssessmentStore(s).put_assessment(_assessment("a1", rot, first))
        repo.append_audit(s, AuditEvent(None, "2024-01-01", "ann", "create", "a1"))
        repo.append_audits(
            s,
            [
                AuditEvent(None, "2024-01-02", "ann", "rating", "a1", "d1", "stage: — -> maturing"),
                AuditEvent(None, "2024-01-03", "bob", "import"),
            ],
        )
        repo.append_audits(s, [])
    with db.session() as s:
        events = repo.list_audit(s)
        assert [e.action for e in events][:3] == ["import", "rating", "create"]
        assert [e.action for e in repo.list_audit(s, "a1")] == ["rating", "create"]
        assert repo.list_audit(s, "a1")[0].detail == "stage: — -> maturing"
        assert len(repo.list_audit(s, limit=1)) == 1
        assert repo.get_meta(s, "colour") is None
        repo.set_meta(s, "colour", "blue")
    with db.session() as s:
        assert repo.get_meta(s, "colour") == "blue"
        repo.set_meta(s, "colour", "green")  # an update of the stored row
    with db.session() as s:
        assert repo.get_meta(s, "colour") == "green"
