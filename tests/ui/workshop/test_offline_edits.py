"""A server link cut while scoring: the edit is kept, shown as not saved, and saved on return.

A real throwaway PostgreSQL behind the TCP proxy of benchmarks/_tcpproxy.py, which the test
cuts (connections reset, new ones refused) and restores, as a dropped network would.
"""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from bench_modules import load_benchmark
from matrix_desktop.core.framework import EntityKind
from matrix_desktop.services import server_admin
from matrix_desktop.services.context import open_services
from matrix_desktop.ui.workshop.screen import NOT_SAVED_RETRYING, AssessmentScreen


@pytest.fixture
def linked(pg_server, request):  # type: ignore[no-untyped-def]
    """Services over the proxy (the link the test cuts), and direct services to check with."""
    url = pg_server.create_database("off_" + request.node.name[-30:].lower())
    server_admin.init(url)
    proxy = load_benchmark("_tcpproxy").TcpProxy("127.0.0.1", pg_server.port).start()
    via = url.replace(f":{pg_server.port}/", f":{proxy.port}/")
    svc = open_services(via, user="facilitator")
    direct = open_services(url, user="checker")
    yield svc, direct, proxy
    proxy.restore()
    svc.close()
    direct.close()
    proxy.stop()


@pytest.fixture
def screen(qtbot, ctx, linked, answers):  # type: ignore[no-untyped-def]
    svc, _direct, _proxy = linked
    ctx.RETRY_MS = 100  # the test waits for the first retries, not for minutes
    ctx.set_services(svc)
    system = svc.catalog.create_system("Test ICS", "TICS")
    place = svc.catalog.create_entity(system.id, "Testshire", EntityKind.PLACE_PARTNERSHIP)
    syb = svc.catalog.framework("syb-place-development-matrix")
    aid = svc.assessments.create(place.id, syb, "2021/22 Q2").id
    s = AssessmentScreen(ctx, aid, undo_keys=True)
    qtbot.addWidget(s)
    s.resize(1366, 768)
    s.show()
    qtbot.waitExposed(s)
    s.aid = aid  # type: ignore[attr-defined]
    yield s


def _type_evidence(qtbot, screen, text: str) -> None:  # type: ignore[no-untyped-def]
    box = screen.details.evidence
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    qtbot.keyClick(box, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Tab)  # leaving the box commits it


def test_edit_during_a_cut_is_kept_retried_and_saved_when_the_link_returns(
    qtbot, ctx, screen, linked, answers, monkeypatch
):
    _svc, direct, proxy = linked
    domain = screen.current_domain.key
    threads: list[threading.Thread] = []
    execute = _svc.assessments.execute

    def recording(command):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return execute(command)

    monkeypatch.setattr(_svc.assessments, "execute", recording)
    _type_evidence(qtbot, screen, "Before the cut.")
    qtbot.waitUntil(lambda: screen.saved.text().startswith("Saved"))
    assert threads and threads[0] is not threading.main_thread()  # saved on a worker
    proxy.cut()
    _type_evidence(qtbot, screen, " During the cut.")
    qtbot.waitUntil(lambda: screen.saved.text() == NOT_SAVED_RETRYING)
    assert len(ctx.pending) == 1 and "Saved" not in screen.saved.text()
    assert screen.details.evidence.toPlainText() == "Before the cut. During the cut."  # kept
    qtbot.wait(400)  # retries fail while the link is down; the wait grows each time
    assert len(ctx.pending) == 1 and ctx._retry.interval() > ctx.RETRY_MS
    assert direct.assessments.record(screen.aid).rating(domain).evidence == "Before the cut."
    assert not answers  # no dialog at each key press while the link is down
    proxy.restore()
    qtbot.waitUntil(lambda: not ctx.pending, timeout=10000)
    stored = direct.assessments.record(screen.aid).rating(domain)
    assert stored.evidence == "Before the cut. During the cut."
    qtbot.waitUntil(lambda: screen.saved.text().startswith("Saved"))
    # Saved through the one edit path: audited, and undoable like any other edit.
    assert [e.action for e in direct.assessments.audit(screen.aid)][:2] == ["rating", "rating"]
    assert ctx.undo_stack.count() == 2


def test_edits_kept_during_a_cut_are_saved_in_the_order_made(qtbot, ctx, screen, linked):
    _svc, direct, proxy = linked
    domain = screen.current_domain.key
    proxy.cut()
    _type_evidence(qtbot, screen, "One.")
    qtbot.keyClick(screen.details.confidence, Qt.Key.Key_Down)
    _type_evidence(qtbot, screen, " Two.")
    qtbot.waitUntil(lambda: screen.saved.text() == NOT_SAVED_RETRYING)
    assert len(ctx.pending) >= 2
    proxy.restore()
    qtbot.waitUntil(lambda: not ctx.pending, timeout=10000)
    stored = direct.assessments.record(screen.aid).rating(domain)
    assert stored.evidence == "One. Two." and stored.confidence is not None


def test_quitting_during_a_cut_offers_the_kept_edits_as_an_exchange_file(
    qtbot, ctx, screen, linked, tmp_path, monkeypatch, answers
):
    from matrix_desktop.ui.interaction import interaction
    from matrix_desktop.ui.main_window import MainWindow

    _svc, direct, proxy = linked
    domain = screen.current_domain.key
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    proxy.cut()
    _type_evidence(qtbot, screen, "Typed while the link was down.")
    qtbot.waitUntil(lambda: screen.saved.text() == NOT_SAVED_RETRYING)
    assert len(ctx.pending) == 1
    asked: list[str] = []
    monkeypatch.setattr(
        interaction, "choose", lambda p, t, m, o: asked.append(m) or "Write to a file"
    )
    target = tmp_path / "kept.mdx.json"
    monkeypatch.setattr(interaction, "save_file", lambda p, t, s, f: str(target))
    window.close()  # quitting, the link still down
    assert asked and "1 change(s) could not reach the database server" in asked[0]
    assert target.exists() and answers[-1][0] == "Unsaved changes written"
    # Back at the office: importing the file saves the edit (through the merge).
    proxy.restore()
    assert direct.assessments.record(screen.aid).rating(domain).evidence == ""
    direct.exchange.import_paths([target])
    assert direct.assessments.record(screen.aid).rating(domain).evidence == (
        "Typed while the link was down."
    )


def test_other_copies_changes_are_read_off_the_gui_thread(qtbot, ctx, screen, linked):
    _svc, direct, _proxy = linked
    domain = screen.current_domain.key
    feed = ctx.feed
    assert feed is not None and feed.reads_over_network
    threads: list[threading.Thread] = []
    read = feed.read_changes

    def recording():  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return read()

    feed.read_changes = recording  # type: ignore[method-assign]
    seen = direct.assessments.record(screen.aid).rating(domain)
    direct.assessments.execute(
        direct.assessments.edit_rating(screen.aid, domain, seen=seen, stage="maturing")
    )
    qtbot.waitUntil(lambda: screen.state.record.rating(domain).stage == "maturing", timeout=3000)
    assert threads and all(t is not threading.main_thread() for t in threads)


def test_quick_edits_of_one_field_on_a_server_are_not_false_conflicts(
    qtbot, ctx, screen, linked, answers
):
    """Two stages chosen faster than a commit: the second was made from the value the first
    replaced, and is saved after it (not refused as someone else's change)."""
    _svc, direct, _proxy = linked
    domain = screen.current_domain.key
    assert screen.set_stage("developing")
    assert screen.set_stage("maturing")  # before the first is saved
    qtbot.waitUntil(lambda: not ctx.pending, timeout=5000)
    assert direct.assessments.record(screen.aid).rating(domain).stage == "maturing"
    assert not answers and ctx.undo_stack.count() == 2
