"""Roles on a shared server: PostgreSQL itself refuses what a login's role may not do.

Each test connects AS the login (a real throwaway server, trust authentication) and tries
the change with raw SQL, then through the app: the server refuses, the app says in one
sentence what the role may not do, and nothing changed.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
import pytest

from matrix_desktop.core.errors import PermissionRefused
from matrix_desktop.core.framework import EntityKind
from matrix_desktop.core.model import AssessmentKind
from matrix_desktop.services import server_admin
from matrix_desktop.services.context import open_services

SYB = "syb-place-development-matrix"


def as_login(url: str, login: str) -> str:
    """The same database, connected as another login."""
    return url.replace("//postgres@", f"//{login}@")


def raw(url: str, login: str) -> psycopg.Connection:
    return psycopg.connect(as_login(url, login).replace("postgresql+psycopg", "postgresql"))


@dataclass
class Region:
    url: str
    alpha_id: str  # Alpha Place's draft self-assessment
    beta_id: str  # Beta Place's final self-assessment
    alpha_entity: str
    beta_entity: str


@pytest.fixture
def region(pg_url) -> Region:  # type: ignore[no-untyped-def]
    """Two places set up by the owner; alice facilitates Alpha, bob peer-reviews Beta."""
    svc = open_services(pg_url, user="it-admin")
    try:
        fw = svc.catalog.framework(SYB)
        system = svc.catalog.create_system("Role ICS")
        alpha = svc.catalog.create_entity(system.id, "Alpha Place", EntityKind.PLACE_PARTNERSHIP)
        beta = svc.catalog.create_entity(system.id, "Beta Place", EntityKind.PLACE_PARTNERSHIP)
        a = svc.assessments.create(alpha.id, fw, "2030 Q1").id
        b = svc.assessments.create(beta.id, fw, "2030 Q1").id
        svc.assessments.execute(svc.assessments.edit_rating(a, "leadership", stage="emerging"))
        svc.assessments.execute(svc.assessments.edit_rating(b, "leadership", stage="developing"))
        svc.assessments.execute(svc.assessments.finalise(b))
    finally:
        svc.close()
    server_admin.grant(pg_url, "alice", "facilitator", ["Alpha Place"])
    server_admin.grant(pg_url, "bob", "reviewer", ["Beta Place"])
    server_admin.grant(pg_url, "val", "viewer", [])
    server_admin.grant(pg_url, "olive", "office", [])
    return Region(pg_url, a, b, alpha.id, beta.id)


def _stage(url: str, aid: str) -> str | None:
    with raw(url, "postgres") as con:
        row = con.execute(
            "SELECT stage FROM rating WHERE assessment_id = %s AND domain_key = 'leadership'",
            (aid,),
        ).fetchone()
    return row[0] if row else None


def test_a_facilitator_updating_another_place_is_refused_by_the_server(region):
    with raw(region.url, "alice") as con:
        # Alice's own place: allowed.
        con.execute(
            "UPDATE rating SET stage = 'thriving' WHERE assessment_id = %s "
            "AND domain_key = 'leadership'",
            (region.alpha_id,),
        )
        con.commit()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            con.execute(
                "UPDATE rating SET stage = 'emerging' WHERE assessment_id = %s",
                (region.beta_id,),
            )
        con.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            con.execute("UPDATE assessment SET title = 'mine now' WHERE id = %s", (region.beta_id,))
        con.rollback()
        # Moving another place's assessment into her own entity is refused too.
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            con.execute(
                "UPDATE assessment SET entity_id = %s WHERE id = %s",
                (region.alpha_entity, region.beta_id),
            )
        con.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            con.execute("DELETE FROM entity WHERE id = %s", (region.beta_entity,))
        con.rollback()
    assert _stage(region.url, region.alpha_id) == "thriving"
    assert _stage(region.url, region.beta_id) == "developing"


def test_a_viewer_reads_everything_and_changes_nothing(region, tmp_path):
    svc = open_services(as_login(region.url, "val"))
    try:  # exporting is reading: allowed
        out = svc.exchange.export([region.beta_id], tmp_path / "beta.mdx.json")
        assert out.stat().st_size > 0
    finally:
        svc.close()
    with raw(region.url, "val") as con:
        assert con.execute("SELECT count(*) FROM assessment").fetchone()[0] == 2
        assert con.execute("SELECT count(*) FROM rating").fetchone()[0] > 0
        for statement in (
            "UPDATE rating SET stage = 'thriving'",
            "DELETE FROM rating",
            "INSERT INTO round (id, name, sequence) VALUES ('x', 'x', 9)",
            "INSERT INTO audit_event (at, \"user\", action, detail) VALUES ('', 'v', 'x', '')",
            "INSERT INTO entity_access VALUES ('val', 'facilitator', 'x')",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                con.execute(statement)
            con.rollback()


def test_the_audit_trail_is_append_only_for_every_role_and_records_session_user(region):
    with raw(region.url, "alice") as con:
        con.execute(
            'INSERT INTO audit_event (at, "user", action, detail, db_role) '
            "VALUES ('2030-01-01', 'laptop-name', 'note', '', 'postgres')"
        )
        con.commit()
        for statement in ("UPDATE audit_event SET detail = 'x'", "DELETE FROM audit_event"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                con.execute(statement)
            con.rollback()
    # Not even the owner (here a superuser) may rewrite or remove it.
    with raw(region.url, "postgres") as con:
        for statement in (
            "UPDATE audit_event SET \"user\" = 'someone else'",
            "DELETE FROM audit_event",
            "TRUNCATE audit_event",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                con.execute(statement)
            con.rollback()
        row = con.execute(
            "SELECT \"user\", db_role FROM audit_event WHERE action = 'note'"
        ).fetchone()
    # The laptop name is what the client said; the database role cannot be faked.
    assert row == ("laptop-name", "alice")


def test_the_app_edits_its_own_place_and_says_what_the_role_may_not_change(region):
    svc = open_services(as_login(region.url, "alice"), user="alice-laptop")
    try:
        assert svc.db.access is not None and svc.db.access.label == "facilitator of Alpha Place"
        svc.assessments.execute(
            svc.assessments.edit_rating(region.alpha_id, "leadership", stage="maturing")
        )
        event = svc.assessments.audit(region.alpha_id)[0]
        assert (event.user, event.db_role) == ("alice-laptop", "alice")
        svc.assessments.execute(svc.assessments.reopen(region.beta_id, "let me in"))
    except PermissionRefused as exc:
        assert str(exc) == (
            "Your role (facilitator of Alpha Place) can change only the self-assessments "
            "of Alpha Place. Nothing was changed."
        )
    else:
        pytest.fail("reopening another place's assessment was not refused")
    finally:
        svc.close()
    assert _stage(region.url, region.alpha_id) == "maturing"
    with raw(region.url, "postgres") as con:
        assert con.execute(
            "SELECT status FROM assessment WHERE id = %s", (region.beta_id,)
        ).fetchone() == ("final",)


def test_a_facilitator_cannot_create_another_places_assessment(region):
    svc = open_services(as_login(region.url, "alice"))
    try:
        fw = svc.catalog.framework(SYB)
        with pytest.raises(PermissionRefused, match="can change only the self-assessments"):
            svc.assessments.create(region.beta_entity, fw, "2030 Q2")
        created = svc.assessments.create(region.alpha_entity, fw, "2030 Q2")
        assert svc.catalog.round(created.round_id).name == "2030 Q2"
    finally:
        svc.close()
    with raw(region.url, "postgres") as con:
        assert con.execute("SELECT count(*) FROM assessment").fetchone()[0] == 3


def test_a_peer_reviewer_writes_only_their_own_review_and_reads_what_they_review(region):
    svc = open_services(as_login(region.url, "bob"), user="bob-laptop")
    try:
        # Bob sees Beta's self-assessment, not Alpha's draft.
        assert [a.id for a in svc.assessments.assessments()] == [region.beta_id]
        review = svc.peer_review.start_review(region.beta_id, "Bob Reviewer").review
        svc.assessments.execute(
            svc.assessments.edit_rating(review.id, "leadership", stage="maturing")
        )
        with pytest.raises(PermissionRefused, match="your own peer reviews of Beta Place"):
            svc.assessments.execute(svc.assessments.reopen(region.beta_id, "edit theirs"))
    finally:
        svc.close()
    with raw(region.url, "postgres") as con:
        assert con.execute(
            "SELECT kind, created_by FROM assessment WHERE id = %s", (review.id,)
        ).fetchone() == (AssessmentKind.PEER_REVIEW.value, "bob")
    # Another reviewer of the same place neither sees nor changes Bob's review.
    server_admin.grant(region.url, "rita", "peer reviewer", ["Beta Place"])
    with raw(region.url, "rita") as con:
        assert con.execute("SELECT id FROM assessment").fetchall() == [(region.beta_id,)]
        cur = con.execute(
            "UPDATE rating SET stage = 'emerging' WHERE assessment_id = %s", (review.id,)
        )
        assert cur.rowcount == 0
        con.commit()
    assert _stage(region.url, review.id) == "maturing"


def test_programme_office_changes_any_assessment_but_not_who_may_do_what(region):
    with raw(region.url, "olive") as con:
        con.execute(
            "UPDATE rating SET stage = 'maturing' WHERE assessment_id = %s", (region.alpha_id,)
        )
        con.commit()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            con.execute("INSERT INTO entity_access VALUES ('olive', 'facilitator', 'x')")
    assert _stage(region.url, region.alpha_id) == "maturing"


def test_revoke_takes_the_role_away_at_the_server(region):
    server_admin.revoke(region.url, "alice", "facilitator", [])
    with raw(region.url, "alice") as con:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            con.execute(
                "UPDATE rating SET stage = 'thriving' WHERE assessment_id = %s", (region.alpha_id,)
            )
    roles = {r.login: r for r in server_admin.roles(region.url)}
    assert "alice" not in roles
    assert roles["bob"].roles == ("peer reviewer",)
    assert roles["bob"].entities == (("peer reviewer", "Beta Place"),)


def test_a_refused_command_line_edit_is_one_sentence_and_a_non_zero_exit(region):
    import os
    import subprocess
    import sys
    from pathlib import Path

    src = Path(__file__).resolve().parents[2] / "src"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "matrix_desktop",
            "--database",
            as_login(region.url, "val"),
            "rating",
            "set",
            region.alpha_id,
            "leadership",
            "--stage",
            "thriving",
        ],
        env={**os.environ, "PYTHONPATH": str(src)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "matrix-desktop: error: Your role (viewer) can read but not change assessments. "
        "Nothing was changed."
    )
    assert _stage(region.url, region.alpha_id) == "emerging"
