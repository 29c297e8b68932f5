"""The change feed: what other copies of the app committed, as Changes an open screen applies.

Every committed change writes an audit event, so the audit trail is the feed: a poll reads
the events after the last one seen and turns those this copy did not write into Changes.
Polling costs nothing until something happened: on SQLite, `PRAGMA data_version` (on a
connection of its own) moves only when another connection commits; on PostgreSQL, a
listening connection (LISTEN/NOTIFY, on a thread) says when to look.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections import defaultdict
from typing import TYPE_CHECKING

from matrix_desktop.core.commands import Change
from matrix_desktop.storage import edits

if TYPE_CHECKING:
    from matrix_desktop.services.assessments import AssessmentService
    from matrix_desktop.services.catalog import CatalogService
    from matrix_desktop.storage.database import Database

log = logging.getLogger(__name__)

CHANNEL = "matrix_desktop_changes"
CATALOG = ""  # the assessment id of a Change to systems, entities, rounds or frameworks
_ACTION_PARTS = {
    "rating": {"rating"},
    "vote": {"vote"},
    "feedback": {"feedback"},  # feedback on the matrix (core.feedback)
    "assessment": {"assessment"},
    "finalise": {"assessment", "status"},
    "reopen": {"assessment", "status"},
    "create": {"assessment", "created"},
    "delete": {"assessment", "deleted"},  # moved to the trash (services.trash)
    "restore": {"assessment", "created"},
    "pairing": {"pairing"},  # a pairing (services.pairing_edits): no assessment changed
}


class ChangeFeed:
    """Polls for changes committed by other copies; `poll()` is cheap when nothing changed."""

    def __init__(self, db: Database, assessments: AssessmentService, catalog: CatalogService):
        self.db = db
        self.assessments = assessments
        self.catalog = catalog
        with db.reader() as s:
            self.last_id = edits.last_audit_id(s)
        self._probe: sqlite3.Connection | None = None
        self._version: int | None = None
        self._woken = threading.Event()
        self._stop = threading.Event()
        self._listener: threading.Thread | None = None
        if db.location.is_sqlite and db.path is not None:
            uri = f"file:{db.path}?mode=ro"
            self._probe = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._version = self._data_version()
        elif not db.location.is_sqlite:
            self._listener = threading.Thread(target=self._listen, name="change-feed", daemon=True)
            self._listener.start()

    def _data_version(self) -> int | None:
        assert self._probe is not None
        try:
            return int(self._probe.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            return None

    def _listen(self) -> None:
        """Wait for NOTIFY on a connection of its own; wake the poller when one arrives."""
        import psycopg

        url = self.db.engine.url.set(drivername="postgresql")
        dsn = url.render_as_string(hide_password=False)
        while not self._stop.is_set():
            try:
                with psycopg.connect(dsn, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._woken.set()  # catch up on anything missed while connecting
                    while not self._stop.is_set():
                        for _ in conn.notifies(timeout=0.5, stop_after=1):
                            self._woken.set()
            except Exception as exc:  # noqa: BLE001 - a dropped link: try again shortly
                log.info("change feed: listening failed (%s); retrying", exc)
                self._stop.wait(2)

    def changed_outside(self) -> bool:
        """True when another copy may have committed something since the last poll."""
        if self._probe is not None:
            version = self._data_version()
            if version != self._version:
                self._version = version
                return True
            return False
        if self._listener is not None:
            if self._woken.is_set():
                self._woken.clear()
                return True
            return False
        return True

    @property
    def reads_over_network(self) -> bool:
        """True on a server: a read costs round trips, so callers run it off the GUI thread."""
        return not self.db.location.is_sqlite

    def changed_outside_again(self) -> None:
        """Look again at the next poll (a read failed before it could take the changes)."""
        self._woken.set()

    def poll(self) -> list[Change]:
        """Return Changes committed by other copies since the last poll (oldest first)."""
        if not self.changed_outside():
            return []
        return self.read_changes()

    def read_changes(self) -> list[Change]:
        """Read the audit events after the last one seen and return them as Changes.

        poll() calls this when changed_outside() says there is something to read; a caller
        that asked changed_outside() itself (on the GUI thread) may call it on a worker.
        """
        with self.db.reader() as s:
            events = edits.audit_since(s, self.last_id)
        if not events:
            # Something without an audit event (e.g. a framework imported): refresh lists.
            self.catalog.forget_frameworks()
            return [Change(CATALOG, frozenset(), frozenset({"catalog"}), external=True)]
        self.last_id = events[-1].id or self.last_id
        own = self.assessments.own_audit_ids
        domains: dict[str, set[str]] = defaultdict(set)
        parts: dict[str, set[str]] = defaultdict(set)
        for e in events:
            if e.id in own:
                own.discard(e.id)
                continue
            aid = e.assessment_id or CATALOG
            if e.domain_key:
                domains[aid].add(e.domain_key)
            action = e.action.removeprefix("undo ")
            parts[aid] |= _ACTION_PARTS.get(action, {"assessment", "created"})
        if CATALOG in parts:
            self.catalog.forget_frameworks()
        return [
            Change(aid, frozenset(domains[aid]), frozenset(parts[aid]), external=True)
            for aid in parts
        ]

    def close(self) -> None:
        self._stop.set()
        if self._probe is not None:
            self._probe.close()
            self._probe = None
        if self._listener is not None:
            self._listener.join(2)
