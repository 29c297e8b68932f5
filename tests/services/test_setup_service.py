"""Setting up a database through the services: names by their key, archive, undo, the trash,
one self-assessment per entity, round and framework."""

from __future__ import annotations

import pytest

from matrix_desktop.core.errors import AlreadyExists, NotFound, ValidationFailed
from matrix_desktop.core.framework import EntityKind
from matrix_desktop.core.model import AssessmentKind

SYB = "syb-place-development-matrix"


@pytest.fixture
def setup(services):  # type: ignore[no-untyped-def]
    return services.setup


def _system(services, name="North ICS"):
    return services.setup.add_system(name, "NICS").target_id


def test_add_rename_archive_restore_with_the_audit_trail(services, setup):
    sid = _system(services)
    place = setup.add_entity(sid, " Barnsley  Place ", "place", ["Council", "Trust"]).target_id
    entity = services.catalog.entity(place)
    assert entity.name == "Barnsley Place" and entity.members == ("Council", "Trust")
    assert entity.kind is EntityKind.PLACE_PARTNERSHIP
    setup.rename("entity", place, "Barnsley Place Partnership")
    setup.edit_entity(place, members=["Council", "Trust", "Hospice"])
    setup.archive("entity", place)
    assert services.catalog.entity(place).archived
    setup.restore("entity", place)
    entity = services.catalog.entity(place)
    assert not entity.archived and entity.name == "Barnsley Place Partnership"
    assert entity.members == ("Council", "Trust", "Hospice")
    actions = [e.action for e in services.assessments.audit(limit=6)]
    assert actions == [
        "entity restore",
        "entity archive",
        "entity edit",
        "entity rename",
        "entity add",
        "system add",
    ]


@pytest.mark.parametrize(
    "duplicate",
    ["barnsley place", "Barnsley\u200b Place", "B\u0430rnsley Pl\u0430ce", " BARNSLEY  PLACE "],
)
def test_duplicate_names_are_refused_naming_the_existing_one(services, setup, duplicate):
    sid = _system(services)
    first = setup.add_entity(sid, "Barnsley Place", "place").target_id
    with pytest.raises(AlreadyExists) as caught:
        setup.add_entity(sid, duplicate, "collaborative")
    assert caught.value.existing_id == first and "'Barnsley Place' already exists" in str(
        caught.value
    )
    other = setup.add_entity(sid, "Doncaster", "place").target_id
    with pytest.raises(AlreadyExists):
        setup.rename("entity", other, duplicate)
    assert len(services.catalog.entities(sid)) == 2
    assert services.catalog.entity(other).name == "Doncaster"


def test_system_and_round_names_follow_the_same_rule(services, setup):
    _system(services)
    with pytest.raises(AlreadyExists, match="already exists"):
        setup.add_system("north\u00a0ics")
    setup.add_round("2030/31 Q1")
    with pytest.raises(AlreadyExists):
        setup.add_round("2030/31 q1\u200b")
    with pytest.raises(ValidationFailed, match="needs a name"):
        setup.add_round("  ")


def test_members_repeated_by_key_are_refused(services, setup):
    sid = _system(services)
    with pytest.raises(AlreadyExists, match="listed twice"):
        setup.add_entity(sid, "Place", "place", ["Council", "COUNCIL"])
    assert services.catalog.entities(sid) == []


def test_rounds_have_an_order_and_dates(services, setup):
    first = setup.add_round("2030 Q1", starts_on="01/04/2030", ends_on="2030-06-30").target_id
    second = setup.add_round("2030 Q2").target_id
    r1, r2 = services.catalog.round(first), services.catalog.round(second)
    assert (r1.starts_on, r1.ends_on) == ("2030-04-01", "2030-06-30")
    assert r2.sequence == r1.sequence + 1
    setup.edit_round(second, sequence=r1.sequence - 1)
    names = [r.name for r in services.catalog.rounds()]
    assert names.index("2030 Q2") < names.index("2030 Q1")
    with pytest.raises(ValidationFailed, match="ends .* before it starts"):
        setup.edit_round(first, ends_on="2030-01-01")
    with pytest.raises(ValidationFailed, match="not a date"):
        setup.edit_round(first, starts_on="soon")


def test_undo_puts_back_each_change_and_refuses_over_someone_elses(services, setup):
    sid = _system(services)
    add = setup.add_entity(sid, "Rotherham", "collaborative")
    rename = setup.rename("entity", add.target_id, "Rotherham Collaborative")
    setup.undo(rename)
    assert services.catalog.entity(add.target_id).name == "Rotherham"
    setup.undo(add)
    with pytest.raises(NotFound):
        services.catalog.entity(add.target_id)
    setup.apply(add)  # redo
    assert services.catalog.entity(add.target_id).name == "Rotherham"
    renamed = setup.rename("entity", add.target_id, "R1")
    setup.rename("entity", add.target_id, "R2")  # someone else, after
    with pytest.raises(ValidationFailed, match="changed by someone else"):
        setup.undo(renamed)
    assert services.catalog.entity(add.target_id).name == "R2"


def test_an_entity_with_assessments_is_archived_not_removed(examples_copy):
    svc = examples_copy
    barnsley = svc.catalog.find_entity("Barnsley")
    fields = {
        "system_id": barnsley.system_id,
        "name": barnsley.name,
        "kind": barnsley.kind.value,
        "members_json": list(barnsley.members),
        "archived_at": None,
    }
    from matrix_desktop.core.catalog_edit import CatalogEdit

    remove = CatalogEdit("entity", barnsley.id, fields, None, "remove", "remove")
    with pytest.raises(ValidationFailed, match="has assessments, so it cannot be removed"):
        svc.setup.apply(remove)
    svc.setup.archive("entity", barnsley.id)
    assert svc.catalog.entity(barnsley.id).archived
    assert svc.assessments.assessments(barnsley.id)  # its assessments stay
    with pytest.raises(ValidationFailed, match="archived"):
        fw = svc.catalog.framework(SYB)
        svc.assessments.create(barnsley.id, fw, "2040 Q1")


def test_second_self_assessment_is_refused_offering_the_existing_one(services):
    sid = _system(services)
    place = services.setup.add_entity(sid, "Barnsley", "place").target_id
    fw = services.catalog.framework(SYB)
    first = services.assessments.create(place, fw, "2030 Q1")
    with pytest.raises(AlreadyExists) as caught:
        services.assessments.create(place, fw, "2030 q1")
    assert caught.value.existing_id == first.id and "open it instead" in str(caught.value)
    assert len(services.assessments.assessments(place)) == 1
    # another round is fine
    services.assessments.create(place, fw, "2030 Q2")


def test_a_peer_review_per_reviewer_is_still_allowed(examples_copy):
    svc = examples_copy
    barnsley = svc.catalog.find_entity("Barnsley")
    final = next(
        a
        for a in svc.assessments.assessments(barnsley.id)
        if a.kind is AssessmentKind.SELF_ASSESSMENT and a.is_final
    )
    svc.peer_review.start_review(final.id, "Ann Reviewer", "Doncaster")
    svc.peer_review.start_review(final.id, "Bob Reviewer", "Sheffield")
    reviews = [
        a for a in svc.assessments.assessments(barnsley.id) if a.kind is AssessmentKind.PEER_REVIEW
    ]
    assert len(reviews) == 2


def test_trash_deletes_restores_and_audits(examples_copy):
    svc = examples_copy
    barnsley = svc.catalog.find_entity("Barnsley")
    target = svc.assessments.assessments(barnsley.id)[0]
    record = svc.assessments.record(target.id)
    if target.is_final:
        with pytest.raises(ValidationFailed, match="say why"):
            svc.trash.delete(target.id)
    edit = svc.trash.delete(target.id, "made by mistake")
    with pytest.raises(NotFound):
        svc.assessments.get(target.id)
    (entry,) = svc.trash.entries()
    assert entry.assessment_id == target.id and entry.reason == "made by mistake"
    svc.trash.undo(edit)
    assert svc.assessments.record(target.id) == record
    assert svc.trash.entries() == []
    actions = [e.action for e in svc.assessments.audit(target.id, limit=2)]
    assert actions == ["restore", "delete"]


def test_trashing_a_reviewed_self_assessment_keeps_the_review_and_restores_the_link(
    examples_copy,
):
    svc = examples_copy
    final = next(a for a in svc.assessments.assessments() if a.is_final)
    review = svc.peer_review.start_review(final.id, "Ann Reviewer", "Doncaster").review
    reviewed = final.id
    svc.trash.delete(reviewed, "wrong round")
    assert svc.assessments.get(review.id).reviews_id is None
    svc.trash.restore(reviewed)
    assert svc.assessments.get(review.id).reviews_id == reviewed


def test_a_draft_in_the_trash_needs_no_reason(services):
    sid = _system(services)
    place = services.setup.add_entity(sid, "Barnsley", "place").target_id
    a = services.assessments.create(place, services.catalog.framework(SYB), "2030 Q1")
    services.trash.delete(a.id)
    assert [t.assessment_id for t in services.trash.entries()] == [a.id]
    # the round and entity now have an assessment in the trash: they cannot be removed
    from matrix_desktop.core.catalog_edit import CatalogEdit

    fields = {
        "system_id": sid,
        "name": "Barnsley",
        "kind": "place_partnership",
        "members_json": [],
        "archived_at": None,
    }
    with pytest.raises(ValidationFailed, match="cannot be removed"):
        services.setup.apply(CatalogEdit("entity", place, fields, None, "x", "remove"))


def test_a_concurrent_duplicate_insert_gets_the_same_clear_message(services, monkeypatch):
    """Two copies adding one name at once: the database's unique index refuses the second,
    and the service says "already exists" as for a name it could see."""
    from matrix_desktop.storage import setup_repo

    _system(services)
    monkeypatch.setattr(setup_repo, "names", lambda *a, **k: [])  # the other copy's view
    with pytest.raises(AlreadyExists, match="already exists"):
        services.setup.add_system("North ICS")
    assert [s.name for s in services.catalog.systems()].count("North ICS") == 1


def test_exchange_import_matches_entities_by_the_name_key(tmp_path, db_path, examples_copy):
    """An exchange file naming a place with a look-alike letter and other spacing (and its
    own ids, as made on another laptop) lands on the existing place, not a second one."""
    import json
    import uuid

    from matrix_desktop.services.context import open_services

    source = examples_copy
    barnsley = source.catalog.find_entity("Barnsley")
    ids = [a.id for a in source.assessments.assessments(barnsley.id)]
    path = source.exchange.export(ids[:1], tmp_path / "b.mdx.json")
    doc = json.loads(path.read_text("utf-8"))
    target = open_services(db_path)
    try:
        sid = target.setup.add_system(doc["systems"][0]["name"]).target_id
        target.setup.add_entity(sid, "Barnsley Place Partnership", "place")
        for system in doc["systems"]:
            system["id"] = str(uuid.uuid4())
            system["name"] = "  " + system["name"].upper() + "\u200b"
        for entity in doc["entities"]:
            new = str(uuid.uuid4())
            entity["system_id"] = doc["systems"][0]["id"]
            for a in doc["assessments"]:
                if a["entity_id"] == entity["id"]:
                    a["entity_id"] = new
            entity["id"] = new
            entity["name"] = "B\u0430rnsley  place partnership"
        from matrix_desktop.exchange.codec import content_checksum

        doc["checksum"] = content_checksum(doc)
        path.write_text(json.dumps(doc), "utf-8")
        target.exchange.import_paths([path])
        assert [e.name for e in target.catalog.entities()] == ["Barnsley Place Partnership"]
        assert len(target.catalog.systems()) == 1
    finally:
        target.close()


def test_another_copy_sees_a_deletion_and_set_up_changes_through_the_feed(db_path):
    from matrix_desktop.services.context import open_services
    from matrix_desktop.services.feed import CATALOG, ChangeFeed

    mine, theirs = open_services(db_path), open_services(db_path)
    try:
        feed = ChangeFeed(mine.db, mine.assessments, mine.catalog)
        sid = mine.setup.add_system("North ICS").target_id
        place = mine.setup.add_entity(sid, "Barnsley", "place").target_id
        assert feed.poll() == []  # this copy's own changes are not news to it
        a = theirs.assessments.create(place, theirs.catalog.framework(SYB), "2030 Q1")
        theirs.setup.rename("entity", place, "Barnsley Place")
        changes = {c.assessment_id: c.parts for c in feed.poll()}
        assert "created" in changes[a.id] and CATALOG in changes
        theirs.trash.delete(a.id)
        assert [c.parts for c in feed.poll()] == [frozenset({"assessment", "deleted"})]
        feed.close()
    finally:
        theirs.close()
        mine.close()


def test_rounds_and_entities_are_found_by_the_name_key_everywhere(services):
    sid = _system(services)
    place = services.setup.add_entity(sid, "Barnsley Place", "place").target_id
    fw = services.catalog.framework(SYB)
    services.assessments.create(place, fw, "2030 Q1")
    with pytest.raises(AlreadyExists):  # the same round, typed differently
        services.assessments.create(place, fw, " 2030\u00a0q1\u200b")
    assert [r.name for r in services.catalog.rounds()].count("2030 Q1") == 1
    assert services.catalog.find_entity("B\u0430rnsley  PLACE").id == place
    assert services.catalog.find_system("n\u0456cs").id == sid  # Cyrillic і in the short name
