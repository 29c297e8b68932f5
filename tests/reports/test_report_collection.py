"""A PDF is built with automatic garbage collection paused, and collection comes back after."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest
from report_fixtures import ENTITY, ROUND

from matrix_desktop.reports.collection import young_collections_only
from matrix_desktop.reports.models import DocumentOptions

DETERMINISTIC = DocumentOptions(deterministic=True)


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_a_report_build_pauses_collection_and_resumes_it(reports, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    from matrix_desktop.reports import pdf_writer

    seen: list[bool] = []
    real = pdf_writer.build_pdf

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    assert gc.isenabled()
    monkeypatch.setattr(pdf_writer, "build_pdf", spy)
    path = reports.write_peer_review(ENTITY, ROUND, tmp_path / "peer.pdf", DETERMINISTIC)
    assert path.read_bytes().startswith(b"%PDF")
    assert seen == [False]  # paused while the document was laid out
    assert gc.isenabled()  # and back on afterwards


def test_what_the_build_left_in_cycles_is_freed_when_it_ends():
    with young_collections_only():
        ref = weakref.ref(_Cycle())
        assert ref() is not None  # no automatic collection while building
    assert ref() is None


def test_a_failing_build_still_resumes_collection():
    with pytest.raises(RuntimeError), young_collections_only():
        raise RuntimeError("layout failed")
    assert gc.isenabled()


def test_collection_switched_off_by_someone_else_stays_off():
    gc.disable()
    try:
        with young_collections_only():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_builds_in_two_threads_resume_collection_only_when_both_end():
    first_in, second_done = threading.Event(), threading.Event()
    states: list[bool] = []

    def second() -> None:
        first_in.wait(5)
        with young_collections_only():
            pass
        states.append(gc.isenabled())  # the first build is still running: still paused
        second_done.set()

    worker = threading.Thread(target=second)
    worker.start()
    with young_collections_only():
        first_in.set()
        assert second_done.wait(5)
    worker.join(5)
    assert states == [False]
    assert gc.isenabled()
