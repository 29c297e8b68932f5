"""Reads for what the window shows, run on a worker on a server; the newest request wins.

On a server each read is round trips (tens of milliseconds each, seconds when the link is
poor): on the GUI thread the window would freeze while the navigator, an entity's page or an
assessment is read. PageReads runs each read on a worker thread and hands the result back to
the GUI thread. Requests go in slots ("navigator", "page"): at most one read per slot is in
flight; a newer request replaces one still waiting, and the result of a read overtaken by a
newer request is dropped unseen (the user pressed Down three times: only the last entity is
shown). On a local file the same requests run inline, as the reads take a millisecond or two.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from PySide6.QtCore import QObject, Signal


@dataclass
class Request:
    """One read: what to call off the GUI thread, and what to do with its outcome on it."""

    slot: str
    label: str  # what is being read, in the user's words ("Testshire", "the partnerships")
    read: Callable[[], Any]  # must not touch widgets
    show: Callable[[Any], None]
    failed: Callable[[Request, BaseException], None]
    services: object = None  # the services it reads through: a result from others is dropped
    token: int = field(default=-1)


class PageReads(QObject):
    """Runs reads for the window's pages (see the module docstring)."""

    _finished = Signal(object)  # (request, result, error), from the worker
    started = Signal(object)  # a Request, when its read starts on a worker
    settled = Signal(str)  # a slot with nothing left in flight or waiting

    def __init__(self, threaded: Callable[[], bool], current_services: Callable[[], object]):
        super().__init__()
        self._threaded = threaded
        self._current_services = current_services
        self._tokens = count()
        self._latest: dict[str, int] = {}
        self._running: dict[str, Request] = {}
        self._waiting: dict[str, Request] = {}
        self._finished.connect(self._on_finished)

    def load(self, request: Request) -> None:
        """Read now (inline on a local file, on a worker on a server); newest request wins."""
        request.token = next(self._tokens)
        request.services = self._current_services()
        self._latest[request.slot] = request.token
        if not self._threaded():
            try:
                result = request.read()
            except Exception as exc:  # noqa: BLE001 - handed to the request's failed()
                self._deliver(request, None, exc)
            else:
                self._deliver(request, result, None)
            return
        if request.slot in self._running:
            self._waiting[request.slot] = request  # replaces one that had not started
            return
        self._start(request)

    def cancel(self, slot: str) -> None:
        """Drop what is being read or waits in a slot (the user went to another page)."""
        self._latest[slot] = next(self._tokens)
        self._waiting.pop(slot, None)

    def busy(self, slot: str | None = None) -> bool:
        """True while a read (of the slot, or any) is in flight or waiting."""
        slots = [slot] if slot else list(self._running) + list(self._waiting)
        return any(s in self._running or s in self._waiting for s in slots)

    def is_latest(self, request: Request) -> bool:
        return self._latest.get(request.slot) == request.token

    def forget(self) -> None:
        """Drop every read in flight or waiting (the database is closing). A read in flight
        is not waited for (on a dead link that could take the connect timeout): its result,
        or its failure, is dropped when it comes."""
        for slot in list(self._running) + list(self._waiting):
            self.cancel(slot)
        self._running.clear()
        self._waiting.clear()

    def _start(self, request: Request) -> None:
        self._running[request.slot] = request
        self.started.emit(request)

        def work() -> None:
            try:
                outcome = (request, request.read(), None)
            except BaseException as exc:  # handed to the GUI thread
                outcome = (request, None, exc)
            self._finished.emit(outcome)  # queued: delivered on the GUI thread

        threading.Thread(target=work, name=f"read-{request.slot}", daemon=True).start()

    def _on_finished(self, outcome: tuple[Request, Any, BaseException | None]) -> None:
        request, result, error = outcome
        if self._running.get(request.slot) is not request:
            return  # the database was closed meanwhile
        del self._running[request.slot]
        waiting = self._waiting.pop(request.slot, None)
        if waiting is not None:
            self._start(waiting)  # a newer request: this result is already out of date
        self._deliver(request, result, error)
        if not self.busy(request.slot):
            self.settled.emit(request.slot)

    def _deliver(self, request: Request, result: Any, error: BaseException | None) -> None:
        if not self.is_latest(request) or request.services is not self._current_services():
            return  # overtaken by a newer request, or another database opened meanwhile
        if error is not None:
            request.failed(request, error)
        else:
            request.show(result)
