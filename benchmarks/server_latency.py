"""Round trips and time per operation against a PostgreSQL server 20 ms away.

Run: python benchmarks/server_latency.py [--json] [--runs N] [--delay-ms 10]

Starts a throwaway PostgreSQL 15 (benchmarks/_pgserver.py) with the example data, and puts
the TCP proxy of benchmarks/_tcpproxy.py in front adding --delay-ms each way (20 ms round
trip by default). For each operation a user waits on it reports the SQL statements sent
through SQLAlchemy and storage.pipeline (an edit's and the single view's pipelined statements
are counted; the pipelined view of an assessment, which talks to the driver directly, is not), the
round trips seen at the proxy (each time the server answers after the app has spoken), and
the median time via the proxy and direct. The operations are the app's own code paths:

  open an assessment   ui.workshop.state.WorkshopState (what the scoring screen reads)
  one edit             AssessmentService.execute(edit_rating) with the values seen (a key press)
  entity list          CatalogService.navigation() (the navigator: systems, entities, counts)
  single view          SingleViewService.single_view(system)

Then, in the desktop app's own AppContext (Qt, offscreen), key presses as the scoring
screen makes them: how long the GUI thread is held by each (AppContext.push), and how long
until the edit is committed and "Saved" shows. And in the app's own MainWindow: the longest
the GUI thread goes without running its event loop (the gaps of a 1 ms timer) while an
assessment is read for opening, and while the entity list (the navigator) is read; building
the widgets from what was read is timed apart (it is the same work as on a local file).

Targets (issue 13): round trips open <= 4, edit <= 3, entity list <= 3, single view <= 3;
at 20 ms round trip: key press -> acknowledged <= 100 ms, the GUI thread never blocked
> 50 ms during an edit, nor while opening an assessment or loading the entity list;
open <= 250 ms, entity list <= 200 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _pgserver import PostgresMissing, start_server  # noqa: E402
from _tcpproxy import TcpProxy  # noqa: E402
from sqlalchemy import event  # noqa: E402

from matrix_desktop.paths import examples_dir  # noqa: E402
from matrix_desktop.services import server_admin  # noqa: E402
from matrix_desktop.services.context import Services, open_services  # noqa: E402

ROUND_TRIP_TARGETS = {"open an assessment": 4, "one edit": 3, "entity list": 3, "single view": 3}
TIME_TARGETS_MS = {"open an assessment": 250.0, "one edit": 100.0, "entity list": 200.0}


@dataclass
class Holder:
    """What WorkshopState needs of the app's context: the services (no Qt)."""

    services: Services
    read_only: bool = False


@dataclass
class Measured:
    name: str
    statements: int
    round_trips: int
    via_ms: float
    direct_ms: float


class Counter:
    """Counts the SQL statements an engine sends."""

    def __init__(self, services: Services):
        self.statements = 0
        event.listen(services.db.engine, "before_cursor_execute", self._on_execute)

    def _on_execute(self, *_args: object) -> None:
        self.statements += 1


def operations(services: Services, which: int = 0) -> dict[str, Callable[[], object]]:
    """Return each operation, set up on the example data, as a call with no arguments.

    which: the assessment to open and edit (a different one per copy measured, so the
    copies' edits never clash).
    """
    from matrix_desktop.ui.workshop.state import WorkshopState

    holder = Holder(services)
    system = services.catalog.systems()[0]
    target = services.assessments.assessments()[which]
    if target.status.value != "draft":
        services.assessments.execute(services.assessments.reopen(target.id, "benchmark"))
    aid = target.id
    key = services.assessments.framework_of(services.assessments.get(aid)).domains[0].key
    typed = iter(range(10**9))

    def one_edit() -> object:
        # As the scoring screen does: the values shown are the values seen.
        seen = state.record.rating(key)
        command = services.assessments.edit_rating(aid, key, seen=seen, evidence=f"n{next(typed)}")
        change = services.assessments.execute(command)
        state.apply(change)
        return change

    state = WorkshopState(holder, aid)
    return {
        "open an assessment": lambda: WorkshopState(holder, aid),
        "one edit": one_edit,
        "entity list": services.catalog.navigation,
        "single view": lambda: services.single_view.single_view(system.id),
    }


def measure(via: Services, direct: Services, proxy: TcpProxy, runs: int) -> list[Measured]:
    """Return statements, round trips and median times of each operation."""
    counter = Counter(via)
    ops_via, ops_direct = operations(via, 0), operations(direct, 1)
    results = []
    for name, op in ops_via.items():
        op()  # warm: caches (frameworks) and pooled connections as a running app has them
        before_s, before_rt = counter.statements, proxy.round_trips
        op()
        statements, trips = counter.statements - before_s, proxy.round_trips - before_rt
        results.append(
            Measured(name, statements, trips, _median(op, runs), _median(ops_direct[name], runs))
        )
    return results


def _median(op: Callable[[], object], runs: int) -> float:
    op()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        op()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


@dataclass
class KeyPresses:
    blocked_max_ms: float  # the longest the GUI thread was held by one key press's edit
    saved_median_ms: float  # key press -> committed and "Saved"


def key_presses(services: Services, runs: int) -> KeyPresses:
    """Edit through the app's AppContext as the scoring screen does; time the GUI thread."""
    import os
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from matrix_desktop.ui.context import AppContext
    from matrix_desktop.ui.workshop.state import WorkshopState

    app = QApplication.instance() or QApplication([])
    settings = Path(tempfile.mkdtemp()) / "settings.ini"
    ctx = AppContext(QSettings(str(settings), QSettings.Format.IniFormat))
    ctx.services = services  # without the change feed: only this copy's edits are timed
    target = services.assessments.assessments()[2]
    if target.status.value != "draft":
        services.assessments.execute(services.assessments.reopen(target.id, "benchmark"))
    aid = target.id
    from matrix_desktop.ui.interaction import interaction

    def no_prompt(*args: object) -> None:  # a benchmark must fail, never wait on a dialog
        raise RuntimeError(f"the app asked the user: {args[1:]}")

    interaction.error = interaction.choose = no_prompt  # type: ignore[method-assign]
    state = WorkshopState(ctx, aid)
    ctx.changed.connect(state.apply)
    key = state.framework.domains[1].key
    blocked, saved = [], []
    try:
        for n in range(runs + 1):
            command = services.assessments.edit_rating(
                aid, key, seen=state.record.rating(key), evidence=f"key {n}"
            )
            start = time.perf_counter()
            ctx.push(command)
            held = time.perf_counter() - start
            while ctx.pending:
                app.processEvents()
                time.sleep(0.001)
            done = time.perf_counter() - start
            if n:  # the first warms the worker thread and caches
                blocked.append(held * 1000)
                saved.append(done * 1000)
    finally:
        ctx.services = None
    return KeyPresses(max(blocked), statistics.median(saved))


@dataclass
class PageLoads:
    open_held_ms: float  # longest the GUI thread was held while an assessment was read
    navigator_held_ms: float  # ... while the entity list (the navigator) was read
    open_read_ms: float  # open asked -> read, ready to show (median)
    open_build_ms: float  # building the scoring screen from what was read (median; no database)
    navigator_build_ms: float  # filling the navigator from what was read (median; no database)


class StallMeter:
    """The longest the GUI thread went without running its event loop (a 1 ms timer's gaps)."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.longest = 0.0

    def start(self) -> None:
        self.last, self.longest = time.perf_counter(), 0.0
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def stop(self) -> float:
        """Stop; return the longest stall in ms."""
        self._tick()
        self.timer.stop()
        return self.longest * 1000


def page_loads(services: Services, runs: int) -> PageLoads:
    """Open assessments and load the entity list in the app's own MainWindow (Qt, offscreen)
    as a user does, and measure how long the GUI thread is held at a time meanwhile."""
    import os
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from matrix_desktop.ui.context import AppContext
    from matrix_desktop.ui.interaction import interaction
    from matrix_desktop.ui.main_window import MainWindow

    def no_prompt(*args: object) -> None:  # a benchmark must fail, never wait on a dialog
        raise RuntimeError(f"the app asked the user: {args[1:]}")

    interaction.error = interaction.choose = interaction.info = no_prompt  # type: ignore[method-assign]
    app = QApplication.instance() or QApplication([])
    settings = Path(tempfile.mkdtemp()) / "settings.ini"
    ctx = AppContext(QSettings(str(settings), QSettings.Format.IniFormat))
    window = MainWindow(ctx)
    window.resize(1366, 768)
    window.show()
    ctx.services = services  # without the change feed: only this window's reads are timed
    reads = window.navigation.reads
    ids = [a.id for a in services.assessments.assessments() if not a.is_peer_review][3:5]
    meter = StallMeter()
    deliver = reads._deliver
    timing: dict[str, float] = {}

    def delivered(*args: object) -> None:
        # The read is over: what follows (building widgets from plain values) is the same
        # work as on a local file, timed apart.
        timing["held"] = meter.stop()
        timing["read"] = time.perf_counter()
        deliver(*args)  # type: ignore[arg-type]
        timing["built"] = time.perf_counter()

    reads._deliver = delivered  # type: ignore[method-assign]

    def run(start: Callable[[], object]) -> tuple[float, float, float]:
        timing.clear()
        began = time.perf_counter()
        meter.start()
        start()
        while "built" not in timing or reads.busy():
            app.processEvents()
            time.sleep(0.0005)
        read_ms = (timing["read"] - began) * 1000
        settle = time.perf_counter() + 0.3  # the shown page's deferred drawing: not the next's
        while time.perf_counter() < settle:
            app.processEvents()
            time.sleep(0.001)
        return timing["held"], read_ms, (timing["built"] - timing["read"]) * 1000

    held_open, read_open, build_open, held_nav, build_nav = [], [], [], [], []
    try:
        for n in range(runs + 1):
            aid = ids[n % 2]
            opened = run(lambda aid=aid: window.open_assessment(aid))
            window.current_entity_id = None  # the navigator alone, not an entity's page too
            listed = run(lambda: window.navigation.load_navigator(in_place=True))
            if n:  # the first warms caches (frameworks, fonts) and pooled connections
                held_open.append(opened[0])
                read_open.append(opened[1])
                build_open.append(opened[2])
                held_nav.append(listed[0])
                build_nav.append(listed[2])
    finally:
        window.navigation.close()
        ctx.services = None
        window.close()
    return PageLoads(
        max(held_open),
        max(held_nav),
        statistics.median(read_open),
        statistics.median(build_open),
        statistics.median(build_nav),
    )


def local_reads(runs: int) -> dict[str, float]:
    """On a local file the window's page reads run inline on the GUI thread (as fast as they
    are, a thread would cost more than it saves): return each one's longest time in ms, on the
    example data in a temporary SQLite file."""
    import tempfile

    from matrix_desktop.ui.navigation import read_assessment, read_entity_page

    path = Path(tempfile.mkdtemp()) / "local.sqlite3"
    svc = open_services(path, user="bench")
    try:
        svc.exchange.import_paths([examples_dir()])
        holder = Holder(svc)
        aid = next(a.id for a in svc.assessments.assessments() if not a.is_peer_review)
        entity_id = svc.assessments.get(aid).entity_id
        reads: dict[str, Callable[[], object]] = {
            "open an assessment": lambda: read_assessment(holder, aid),
            "entity list": svc.catalog.navigation,
            "entity page": lambda: read_entity_page(svc, entity_id),
        }
        longest = {}
        for name, read in reads.items():
            read()  # warm, as a running app is
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                read()
                times.append((time.perf_counter() - start) * 1000)
            longest[name] = max(times)
        return longest
    finally:
        svc.close()


def run_against(
    url: str, port: int, delay_ms: float, runs: int, keys: bool = False
) -> list[Measured] | tuple[list[Measured], KeyPresses, PageLoads]:
    """Measure against a database at url (on 127.0.0.1:port) through a proxy of delay_ms."""
    proxy = TcpProxy("127.0.0.1", port, delay_ms=delay_ms).start()
    via = open_services(url.replace(f":{port}/", f":{proxy.port}/"), user="bench")
    direct = open_services(url, user="bench")
    try:
        measured = measure(via, direct, proxy, runs)
        if not keys:
            return measured
        return measured, key_presses(via, runs), page_loads(via, runs)
    finally:
        via.close()
        direct.close()
        proxy.stop()


def prepare(server) -> str:  # type: ignore[no-untyped-def]
    """Create the benchmark database with the example data; returns its URL."""
    url = server.create_database("latency")
    server_admin.init(url)  # as a region's administrator would; opening never migrates
    svc = open_services(url, user="bench")
    try:
        svc.exchange.import_paths([examples_dir()])
    finally:
        svc.close()
    return url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON last")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--delay-ms", type=float, default=10.0, help="added each way")
    args = parser.parse_args(argv)
    try:
        server = start_server()
    except PostgresMissing as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        results, keys, pages = run_against(
            prepare(server), server.port, args.delay_ms, args.runs, True
        )
    finally:
        server.stop()
    figures = []
    rtt = 2 * args.delay_ms
    for m in results:
        if not args.json:
            print(
                f"{m.name:<20} {m.statements:>3} statements {m.round_trips:>3} round trips  "
                f"{m.via_ms:7.1f} ms via proxy ({rtt:g} ms RTT)  {m.direct_ms:6.1f} ms direct"
            )
        target = ROUND_TRIP_TARGETS[m.name]
        figures.append(
            {
                "name": f"{m.name}: round trips",
                "value": m.round_trips,
                "unit": "round trips",
                "target": f"<= {target}",
                "ok": m.round_trips <= target,
            }
        )
        figures.append(
            {
                "name": f"{m.name}: statements",
                "value": m.statements,
                "unit": "statements",
                "target": "(reported)",
                "ok": True,
            }
        )
        budget = TIME_TARGETS_MS.get(m.name)
        figures.append(
            {
                "name": f"{m.name}: time at {rtt:g} ms round trip",
                "value": round(m.via_ms, 1),
                "unit": "ms",
                "target": f"<= {budget:g}" if budget else "(reported)",
                "ok": budget is None or m.via_ms <= budget,
            }
        )
        figures.append(
            {
                "name": f"{m.name}: time direct",
                "value": round(m.direct_ms, 1),
                "unit": "ms",
                "target": "(reported)",
                "ok": True,
            }
        )
    if not args.json:
        print(
            f"key press: GUI thread held at most {keys.blocked_max_ms:.1f} ms; "
            f"committed and 'Saved' after {keys.saved_median_ms:.1f} ms (median)"
        )
    figures += [
        {
            "name": f"key press: GUI thread blocked (max) at {rtt:g} ms round trip",
            "value": round(keys.blocked_max_ms, 1),
            "unit": "ms",
            "target": "<= 50",
            "ok": keys.blocked_max_ms <= 50,
        },
        {
            "name": f"key press -> acknowledged on screen at {rtt:g} ms round trip",
            "value": round(keys.blocked_max_ms, 1),
            "unit": "ms",
            "target": "<= 100",
            "ok": keys.blocked_max_ms <= 100,
        },
        {
            "name": f"key press -> committed ('Saved') at {rtt:g} ms round trip",
            "value": round(keys.saved_median_ms, 1),
            "unit": "ms",
            "target": "<= 100",
            "ok": keys.saved_median_ms <= 100,
        },
    ]
    if not args.json:
        print(
            f"GUI thread held at most {pages.open_held_ms:.1f} ms while an assessment was read "
            f"(read after {pages.open_read_ms:.1f} ms, median), at most "
            f"{pages.navigator_held_ms:.1f} ms while the entity list was read; then building "
            f"the scoring screen {pages.open_build_ms:.1f} ms, the navigator "
            f"{pages.navigator_build_ms:.1f} ms (widgets, no database; as on a local file)"
        )
    local = local_reads(args.runs)
    for name, ms in local.items():
        if not args.json:
            print(f"local file: {name} read inline on the GUI thread in at most {ms:.1f} ms")
        figures.append(
            {
                "name": f"local file: GUI thread held (max) reading {name} (inline)",
                "value": round(ms, 1),
                "unit": "ms",
                "target": "<= 50",
                "ok": ms <= 50,
            }
        )
    figures += [
        {
            "name": f"GUI thread held (max) while opening an assessment at {rtt:g} ms round trip",
            "value": round(pages.open_held_ms, 1),
            "unit": "ms",
            "target": "<= 50",
            "ok": pages.open_held_ms <= 50,
        },
        {
            "name": f"GUI thread held (max) while loading the entity list at {rtt:g} ms round trip",
            "value": round(pages.navigator_held_ms, 1),
            "unit": "ms",
            "target": "<= 50",
            "ok": pages.navigator_held_ms <= 50,
        },
        {
            "name": f"open an assessment in the window: read at {rtt:g} ms round trip",
            "value": round(pages.open_read_ms, 1),
            "unit": "ms",
            "target": "(reported)",
            "ok": True,
        },
        {
            "name": "open an assessment in the window: building the screen (no database)",
            "value": round(pages.open_build_ms, 1),
            "unit": "ms",
            "target": "(reported)",
            "ok": True,
        },
        {
            "name": "entity list in the window: filling the navigator (GUI thread, no database)",
            "value": round(pages.navigator_build_ms, 1),
            "unit": "ms",
            "target": "(reported)",
            "ok": True,
        },
    ]
    if args.json:
        print(json.dumps({"figures": figures}))
    return 0 if all(f["ok"] for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
