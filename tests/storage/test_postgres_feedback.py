"""Feedback on the matrix on a real throwaway PostgreSQL server: facilitators and peer
reviewers add it to the assessments they may edit (the server refuses the rest); the
programme office and the administrator read all of it."""

from __future__ import annotations

import psycopg
import pytest

from matrix_desktop.core.errors import PermissionRefused
from matrix_desktop.core.framework import EntityKind
from matrix_desktop.services import server_admin
from matrix_desktop.services.context import open_services

SYB = "syb-place-development-matrix"


def _as(url: str, login: str) -> str:
    return url.replace("//postgres@", f"//{login}@")


def _raw(url: str, login: str) -> psycopg.Connection:
    return psycopg.connect(_as(url, login).replace("postgresql+psycopg", "postgresql"))


def test_roles_add_feedback_where_they_edit_and_the_office_reads_all(pg_url):
    svc = open_services(pg_url, user="it-admin")
    try:
        fw = svc.catalog.framework(SYB)
        system = svc.catalog.create_system("Feedback ICS")
        alpha = svc.catalog.create_entity(system.id, "Alpha Place", EntityKind.PLACE_PARTNERSHIP)
        beta = svc.catalog.create_entity(system.id, "Beta Place", EntityKind.PLACE_PARTNERSHIP)
        a = svc.assessments.create(alpha.id, fw, "2030 Q1").id
        b = svc.assessments.create(beta.id, fw, "2030 Q1").id
        svc.assessments.execute(svc.assessments.finalise(b))
        c = svc.assessments.create(beta.id, fw, "2030 Q2").id  # Beta's draft
        statement = fw.domain("leadership").statements[0].id
    finally:
        svc.close()
    server_admin.grant(pg_url, "alice", "facilitator", ["Alpha Place"])
    server_admin.grant(pg_url, "bob", "reviewer", ["Beta Place"])
    server_admin.grant(pg_url, "olive", "office", [])

    alice = open_services(_as(pg_url, "alice"), user="alice-laptop")
    try:
        alice.assessments.execute(
            alice.feedback.add(a, "leadership", "clarity", "Which leaders?", statement_id=statement)
        )
        with pytest.raises(PermissionRefused):
            alice.assessments.execute(alice.feedback.add(c, "leadership", "clarity", "Theirs"))
    finally:
        alice.close()
    with _raw(pg_url, "alice") as con, pytest.raises(psycopg.errors.InsufficientPrivilege):
        con.execute(
            "INSERT INTO matrix_feedback VALUES ('f1', %s, %s, 'v1-4', 'leadership', NULL, "
            "'clarity', 'x', '', 'alice', '2030', '2030')",
            (c, SYB),
        )

    bob = open_services(_as(pg_url, "bob"), user="bob-laptop")
    try:
        review = bob.peer_review.start_review(b, "Bob Reviewer").review
        bob.assessments.execute(
            bob.feedback.add(review.id, "governance", "rewording", "Long", wording="Short")
        )
        # A reviewer reads the feedback of what they may read: not Alpha's.
        assert [i.feedback.text for i in bob.feedback.items(SYB)] == ["Long"]
    finally:
        bob.close()

    olive = open_services(_as(pg_url, "olive"), user="olive-laptop")
    try:
        items = olive.feedback.items(SYB, "v1-4")
        assert sorted((i.entity_name, i.feedback.text) for i in items) == [
            ("Alpha Place", "Which leaders?"),
            ("Beta Place", "Long"),
        ]
        assert {i.feedback.author for i in items} == {"alice-laptop", "bob-laptop"}
    finally:
        olive.close()


def test_the_pipelined_workshop_view_carries_the_feedback_as_the_plain_queries(pg_url):
    from matrix_desktop.storage.views import queried_view, read_assessment_view

    svc = open_services(pg_url, user="tester")
    try:
        fw = svc.catalog.framework(SYB)
        system = svc.catalog.create_system("View ICS")
        place = svc.catalog.create_entity(system.id, "View Place", EntityKind.PLACE_PARTNERSHIP)
        aid = svc.assessments.create(place.id, fw, "2030 Q1").id
        for text in ("First", "Second"):
            svc.assessments.execute(svc.feedback.add(aid, "leadership", "clarity", text))
        with svc.db.reader() as s:
            piped = read_assessment_view(s, aid)
            plain = queried_view(s, aid)
    finally:
        svc.close()
    assert [f.text for f in piped.feedback] == ["First", "Second"]
    assert piped == plain
