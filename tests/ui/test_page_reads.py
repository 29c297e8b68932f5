"""PageReads: reads on a worker, one per slot in flight, the newest request wins; inline on a
local file. Driven with reads that wait on events, so the order is the test's, not chance's."""

from __future__ import annotations

import threading

import pytest

from matrix_desktop.ui.page_reads import PageReads, Request


class Services:
    """Stands for the open database's services (only their identity matters here)."""


@pytest.fixture
def reads(qapp):  # type: ignore[no-untyped-def]
    box = {"services": Services(), "threaded": True}
    r = PageReads(lambda: box["threaded"], lambda: box["services"])
    r.box = box  # type: ignore[attr-defined]
    return r


def _request(slot: str, name: str, gate: threading.Event, shown: list, failed: list) -> Request:
    def read() -> str:
        assert gate.wait(10)
        if name.startswith("fail"):
            raise OSError(name)
        return name

    return Request(slot, name, read, shown.append, lambda req, exc: failed.append(str(exc)))


def test_only_the_newest_request_of_a_slot_is_shown(qtbot, reads):
    shown: list[str] = []
    failed: list[str] = []
    gates = [threading.Event() for _ in range(3)]
    started: list[str] = []
    reads.started.connect(lambda req: started.append(req.label))
    for n, gate in enumerate(gates):
        reads.load(_request("page", f"entity {n}", gate, shown, failed))
    assert started == ["entity 0"]  # one read in flight; the newest waits, the middle is dropped
    gates[0].set()
    qtbot.waitUntil(lambda: started == ["entity 0", "entity 2"])
    assert shown == []  # entity 0 was overtaken: never shown
    gates[2].set()
    qtbot.waitUntil(lambda: shown == ["entity 2"])
    assert not reads.busy() and not failed


def test_slots_are_independent_and_a_cancelled_read_is_dropped(qtbot, reads):
    shown: list[str] = []
    failed: list[str] = []
    nav, page = threading.Event(), threading.Event()
    reads.load(_request("navigator", "navigator", nav, shown, failed))
    reads.load(_request("page", "page", page, shown, failed))
    reads.cancel("page")  # the user went to another page meanwhile
    nav.set()
    page.set()
    qtbot.waitUntil(lambda: not reads.busy())
    assert shown == ["navigator"]


def test_a_failure_goes_to_the_request_and_another_databases_result_is_dropped(qtbot, reads):
    shown: list[str] = []
    failed: list[str] = []
    gate = threading.Event()
    reads.load(_request("page", "fail: link down", gate, shown, failed))
    gate.set()
    qtbot.waitUntil(lambda: failed == ["fail: link down"])
    late = threading.Event()
    reads.load(_request("page", "old database", late, shown, failed))
    reads.box["services"] = Services()  # another database opened while it was read
    late.set()
    qtbot.waitUntil(lambda: not reads.busy())
    assert shown == []


def test_on_a_local_file_reads_run_inline(reads):
    reads.box["threaded"] = False
    shown: list[str] = []
    failed: list[str] = []
    gate = threading.Event()
    gate.set()
    reads.load(_request("page", "entity", gate, shown, failed))
    assert shown == ["entity"] and threading.current_thread() is threading.main_thread()
