"""Durability settings on every connection, and "Saved" only after the commit returns."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from matrix_desktop.core.errors import ValidationFailed
from matrix_desktop.storage.database import BUSY_TIMEOUT_MS, open_database


def _pragmas(conn) -> dict[str, object]:  # type: ignore[no-untyped-def]
    cur = conn.cursor()
    try:
        return {
            name: cur.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }
    finally:
        cur.close()


def test_every_pooled_connection_is_durable(workshop):
    db = open_database(workshop.path)
    try:
        # Several connections at once, so each one comes from the connect hook.
        conns = [db.engine.raw_connection() for _ in range(3)]
        for conn in conns:
            assert _pragmas(conn) == {
                "journal_mode": "wal",
                "synchronous": 2,  # FULL
                "foreign_keys": 1,
                "busy_timeout": BUSY_TIMEOUT_MS,
            }
        for conn in conns:
            conn.close()
    finally:
        db.close()


def test_wal_is_recorded_in_the_file(workshop):
    # The journal mode persists in the file, so any other SQLite reader also uses WAL.
    con = sqlite3.connect(workshop.path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


def test_foreign_keys_are_enforced(workshop):
    db = open_database(workshop.path)
    try:
        with pytest.raises(Exception, match="FOREIGN KEY"):
            with db.session() as s:
                s.execute(
                    text(
                        "INSERT INTO rating (assessment_id, domain_key, evidence, rationale, "
                        "statements_met_json, enablers_json, support_json, actions_json, "
                        "review_comment, review_suggestions, carried_forward, modified_at) "
                        "VALUES ('no-such', 'd', '', '', '[]', '[]', '[]', '[]', '', '', 0, 'x')"
                    )
                )
    finally:
        db.close()


def test_change_is_committed_before_anyone_is_told(workshop, services):
    """A listener (the GUI's "Saved") runs only after the commit: another connection sees it."""
    seen: list[str | None] = []

    def listener(change) -> None:  # type: ignore[no-untyped-def]
        con = sqlite3.connect(workshop.path)
        try:
            seen.append(
                con.execute(
                    "SELECT stage FROM rating WHERE assessment_id = ? AND domain_key = ?",
                    (workshop.assessment_id, next(iter(change.domain_keys))),
                ).fetchone()[0]
            )
        finally:
            con.close()

    services.assessments.subscribe(listener)
    domain = workshop.domain
    services.assessments.execute(
        services.assessments.edit_rating(workshop.assessment_id, domain, stage="developing")
    )
    assert seen == ["developing"]


def test_failed_edit_tells_no_one_and_writes_nothing(workshop, services):
    told = []
    services.assessments.subscribe(told.append)
    domain = workshop.domain
    before = services.assessments.record(workshop.assessment_id)
    with pytest.raises(ValidationFailed):
        services.assessments.execute(
            services.assessments.edit_rating(workshop.assessment_id, domain, stage="no-such-stage")
        )
    assert told == []
    assert services.assessments.record(workshop.assessment_id) == before


def test_audit_trail_is_append_only_and_undo_is_an_event(workshop, services):
    domain = workshop.domain
    cmd = services.assessments.edit_rating(workshop.assessment_id, domain, stage="thriving")
    services.assessments.execute(cmd)
    services.assessments.revert(cmd)
    actions = [e.action for e in services.assessments.audit(workshop.assessment_id)]
    assert actions[:2] == ["undo " + cmd.action, cmd.action]
    con = sqlite3.connect(workshop.path)
    try:
        for sql in ("UPDATE audit_event SET detail = 'x'", "DELETE FROM audit_event"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                con.execute(sql)
    finally:
        con.close()


def test_change_counter_moves_only_when_rows_change(workshop, services):
    before = services.db.change_counter()
    services.catalog.rounds()  # a read
    with services.db.session():
        pass  # an empty write transaction
    assert services.db.change_counter() == before
    services.catalog.ensure_round("2022/23 Q1")
    assert services.db.change_counter() == before + 1
