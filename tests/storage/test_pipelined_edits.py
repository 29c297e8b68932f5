"""Edits and the single view on a server in one or two pipelines (storage.pipeline).

Each kind of edit is two round trips (claim and reads with BEGIN; writes, audit, notice and
COMMIT), counted at the benchmark's TCP proxy; the refusals (final, conflict, bad value,
no such assessment) change nothing and leave the pooled connection in the driver's own
transaction mode, so the next ordinary write is still one transaction. The single view is
one round trip and reads what the plain queries read.
"""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import event

from bench_modules import load_benchmark
from matrix_desktop.core.errors import EditConflict, FinalisedError, NotFound, ValidationFailed
from matrix_desktop.core.framework import EntityKind
from matrix_desktop.core.model import Rating, Vote
from matrix_desktop.paths import examples_dir
from matrix_desktop.services.context import Services, open_services
from matrix_desktop.storage import views_repo

SYB = "syb-place-development-matrix"
DOMAIN = "leadership"
# Added each way at the proxy: the app's pipeline is all sent before any answer comes back,
# so the count is of the round trips the app waits on (see test_server_round_trips).
DELAY_MS = 10.0


def _proxy_class():  # type: ignore[no-untyped-def]
    return load_benchmark("_tcpproxy").TcpProxy


@pytest.fixture
def linked(pg_url, pg_server):  # type: ignore[no-untyped-def]
    """(services through a round-trip counting proxy, the proxy, a draft's id)."""
    setup = open_services(pg_url, user="setup")
    try:
        fw = setup.catalog.framework(SYB)
        system = setup.catalog.create_system("Pipe ICS")
        place = setup.catalog.create_entity(system.id, "Pipe Place", EntityKind.PLACE_PARTNERSHIP)
        aid = setup.assessments.create(
            place.id, fw, "2030 Q1", participants=[("Ann", ""), ("Bob", "")]
        ).id
    finally:
        setup.close()
    proxy = _proxy_class()("127.0.0.1", pg_server.port, delay_ms=DELAY_MS).start()
    svc = open_services(pg_url.replace(f":{pg_server.port}/", f":{proxy.port}/"), user="ann")
    yield svc, proxy, aid
    svc.close()
    proxy.stop()


def _trips(proxy, call):  # type: ignore[no-untyped-def]
    before = proxy.round_trips
    result = call()
    return proxy.round_trips - before, result


def _drivers_mode_everywhere(svc: Services) -> None:
    """Every pooled connection is back in psycopg's own transactions (not autocommit)."""
    held = [svc.db.engine.connect() for _ in range(svc.db.engine.pool.checkedin())]
    try:
        for conn in held:
            assert conn.connection.driver_connection.autocommit is False  # type: ignore[union-attr]
    finally:
        for conn in held:
            conn.close()


def test_each_kind_of_edit_is_two_round_trips_saved_and_audited(linked):
    svc, proxy, aid = linked
    a = svc.assessments
    a.execute(a.edit_rating(aid, DOMAIN, evidence="warm"))  # caches, as a running app has them
    record = a.record(aid)
    ann = record.assessment.participants[0].id
    commands = {
        "rating": a.edit_rating(aid, DOMAIN, seen=record.rating(DOMAIN), stage="emerging"),
        "vote": a.set_vote(aid, ann, DOMAIN, "developing", seen=Vote(aid, ann, DOMAIN, None)),
        "details": a.edit_details(aid, seen=record.assessment, strengths="Shared goals"),
    }
    events_before = len(a.audit(aid))
    for kind, command in commands.items():
        trips, change = _trips(proxy, lambda c=command: a.execute(c))
        assert trips == 2, kind
        assert change.revision is not None
    after = a.record(aid)
    assert after.rating(DOMAIN).stage == "emerging"
    assert [v.stage for v in after.votes_for(DOMAIN) if v.participant_id == ann] == ["developing"]
    assert after.assessment.strengths == "Shared goals"
    assert after.assessment.revision == record.assessment.revision + 3
    events = a.audit(aid)
    assert len(events) == events_before + 3
    newest = sorted(e.id for e in events if e.id is not None)[-3:]
    assert set(newest) <= a.own_audit_ids  # each id came back from the pipelined insert
    _drivers_mode_everywhere(svc)


def test_refused_edits_change_nothing_and_leave_the_connection_as_the_driver_had_it(linked):
    svc, _proxy, aid = linked
    a = svc.assessments
    seen = a.record(aid)
    a.execute(a.edit_rating(aid, DOMAIN, seen=seen.rating(DOMAIN), evidence="mine"))
    before = a.record(aid)
    # Someone else's value over the one this screen saw: a conflict, nothing written.
    with pytest.raises(EditConflict):
        a.execute(a.edit_rating(aid, DOMAIN, seen=seen.rating(DOMAIN), evidence="theirs"))
    with pytest.raises(ValidationFailed):
        a.execute(a.edit_rating(aid, DOMAIN, seen=before.rating(DOMAIN), stage="no-such"))
    with pytest.raises(ValidationFailed, match="participant"):
        a.execute(
            a.set_vote(
                aid, "nobody", DOMAIN, "emerging", seen=Vote(aid, "nobody", DOMAIN, None), who="X"
            )
        )
    with pytest.raises(NotFound):
        a.execute(
            a.edit_rating("no-such-id", DOMAIN, seen=Rating("no-such-id", DOMAIN), stage="emerging")
        )
    assert a.record(aid) == before
    _drivers_mode_everywhere(svc)
    a.execute(a.finalise(aid))
    final = a.record(aid)
    with pytest.raises(FinalisedError):
        a.execute(a.edit_rating(aid, DOMAIN, seen=final.rating(DOMAIN), evidence="late"))
    assert a.record(aid) == final
    _drivers_mode_everywhere(svc)
    # An ordinary write afterwards is still one transaction: a failure in it keeps nothing.
    statements: list[str] = []

    @event.listens_for(svc.db.engine, "before_cursor_execute")
    def _fail_audit(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        statements.append(statement)
        if statement.lstrip().upper().startswith("INSERT INTO AUDIT_EVENT"):
            raise RuntimeError("stop before the audit")

    try:
        with pytest.raises(RuntimeError):
            a.execute(a.reopen(aid, "one more change"))
    finally:
        event.remove(svc.db.engine, "before_cursor_execute", _fail_audit)
    assert a.record(aid).assessment.is_final
    assert any(s.lstrip().upper().startswith("UPDATE ASSESSMENT") for s in statements)


def test_an_edit_tells_the_other_copies_change_feed(linked, pg_url):
    svc, _proxy, aid = linked
    with psycopg.connect(
        pg_url.replace("postgresql+psycopg", "postgresql"), autocommit=True
    ) as listener:
        listener.execute("LISTEN matrix_desktop_changes")
        a = svc.assessments
        a.execute(a.edit_rating(aid, DOMAIN, evidence="heard"))
        heard = list(listener.notifies(timeout=5, stop_after=1))
    assert [n.channel for n in heard] == ["matrix_desktop_changes"]


def test_the_single_view_is_one_round_trip_and_reads_what_the_plain_queries_read(
    pg_url, pg_server, monkeypatch
):
    setup = open_services(pg_url, user="setup")
    try:
        setup.exchange.import_paths([examples_dir()])
    finally:
        setup.close()
    proxy = _proxy_class()("127.0.0.1", pg_server.port, delay_ms=DELAY_MS).start()
    svc = open_services(pg_url.replace(f":{pg_server.port}/", f":{proxy.port}/"), user="ann")
    try:
        rounds = svc.catalog.rounds()
        cases = [(s.id, None) for s in svc.catalog.systems()]
        cases += [(cases[0][0], r.id) for r in rounds]
        piped = {}
        for system_id, round_id in cases:
            svc.single_view.single_view(system_id, round_id)  # warm the framework cache
            trips, piped[system_id, round_id] = _trips(
                proxy, lambda s=system_id, r=round_id: svc.single_view.single_view(s, r)
            )
            assert trips == 1
        assert any(view.sections for view in piped.values())
        with pytest.raises(NotFound, match="no system"):
            svc.single_view.single_view("no-such-system")
        with pytest.raises(NotFound, match="no round"):
            svc.single_view.single_view(cases[0][0], "no-such-round")
        _drivers_mode_everywhere(svc)
        monkeypatch.setattr(views_repo, "pipelines", lambda _session: False)
        for (system_id, round_id), view in piped.items():
            assert svc.single_view.single_view(system_id, round_id) == view
    finally:
        svc.close()
        proxy.stop()
