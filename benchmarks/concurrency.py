"""Concurrent editing on PostgreSQL: N people edit one draft at once; no edit may be lost.

Run: python benchmarks/concurrency.py [--json] [--seconds S] [--clients 2,5,20]

Starts a throwaway PostgreSQL server on 127.0.0.1 (benchmarks/_pgserver.py; stopped at the
end, also on error), creates one draft with 20 participants, and runs 2, 5 and 20 client
processes (spawned) on it for --seconds each. Every client acts like a user with a screen:
it keeps a copy of the record, refreshes it every 0.5-1 s (live updates) and edits at full
speed from what it shows: stages, evidence, ticked statements, views (votes), appended
actions (unique text), and now and then undoes its own last edit. A conflict is "reported
to the user": counted, and the screen refreshed (take theirs). Each client logs every
committed edit (revision, field, the value it saw, the value it wrote, the items it added
or removed).

Then, per N, the log is checked against the final record:
- scalars (stage, evidence, each view): the committed writes of a field in revision order
  chain: each write saw the value the previous one wrote (or wrote the same value, which
  counts once), and the stored value is the last write's; otherwise a write was lost;
- list items (ticked statements, actions): each is present at the end exactly when the
  last committed edit of that item (tick/untick, append/undo) added it;
- the assessment's revision is the initial one plus the edits committed (no lost
  increments), and the revisions handed out are exactly those, each once.
lost_N = writes lost + increments lost (target 0).

Also: SQL statements per edit (before_cursor_execute on the engine, BEGIN/COMMIT not
counted; target <= 6) on SQLite and PostgreSQL, and on SQLite the median time from a key
press to the edit committed and acknowledged (target 10 ms), with a bare sqlite3 commit in
the same run as the baseline. Exits 1 when a figure misses its target.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from _pgserver import pg_server  # noqa: E402

from matrix_desktop.core.errors import EditConflict  # noqa: E402
from matrix_desktop.core.framework import EntityKind  # noqa: E402
from matrix_desktop.core.model import (  # noqa: E402
    Action,
    AssessmentRecord,
    Rating,
    Vote,
    new_id,
)
from matrix_desktop.services import server_admin  # noqa: E402
from matrix_desktop.services.context import Services, open_services  # noqa: E402

SYB = "syb-place-development-matrix"
PARTICIPANTS = 20
DOMAINS_EDITED = 5  # the first five domains: enough contention for conflicts to happen
LIST_FIELDS = ("statements_met", "actions")
WEIGHTS = {"stage": 20, "evidence": 20, "tick": 20, "vote": 20, "action": 12, "undo": 8}
STATEMENTS_TARGET = 6
KEYPRESS_TARGET_MS = 10.0


# -- setting up --------------------------------------------------------------------------
def make_draft(svc: Services) -> str:
    """Create a place and one draft with 20 participants; returns its id."""
    fw = svc.catalog.framework(SYB)
    system = svc.catalog.create_system("Bench ICS")
    place = svc.catalog.create_entity(system.id, "Bench Place", EntityKind.PLACE_PARTNERSHIP)
    people = [(f"Partner {n}", "Org") for n in range(1, PARTICIPANTS + 1)]
    return svc.assessments.create(place.id, fw, "2030 Q1", participants=people).id


# -- a client: a user with a screen ------------------------------------------------------
class Screen:
    """What one user sees: the record as last refreshed, plus their own edits."""

    def __init__(self, record: AssessmentRecord):
        self.ratings = {r.domain_key: r for r in record.ratings}
        self.votes = {(v.domain_key, v.participant_id): v for v in record.votes}
        self.assessment = record.assessment

    def rating(self, domain_key: str) -> Rating:
        return self.ratings.get(domain_key) or Rating(self.assessment.id, domain_key)

    def vote(self, domain_key: str, participant_id: str) -> Vote:
        key = (domain_key, participant_id)
        return self.votes.get(key) or Vote(self.assessment.id, participant_id, domain_key, None)

    def apply(self, change) -> None:  # type: ignore[no-untyped-def]
        """Show the user's own committed edit at once, as the GUI does."""
        if change.rating is not None:
            self.ratings[change.rating.domain_key] = change.rating
        if change.vote is not None:
            self.votes[(change.vote.domain_key, change.vote.participant_id)] = change.vote


def _item_ids(field: str, items: tuple) -> set[str]:  # type: ignore[type-arg]
    return {a.id for a in items} if field == "actions" else set(items)


def log_entry(
    target, seen: dict, new: dict, before: dict, change, client: int, seq: int, op: str
) -> dict[str, Any]:  # type: ignore[no-untyped-def, type-arg]
    """Describe one committed edit: the field, what the user saw, what they wrote."""
    (field,) = new  # every edit here changes one field
    entry: dict[str, Any] = {
        "rev": change.revision,
        "client": client,
        "seq": seq,
        "op": op,
        "kind": target.kind,
        "domain": target.domain_key,
        "pid": target.participant_id,
        "field": field,
    }
    if field in LIST_FIELDS:
        was, now = _item_ids(field, seen.get(field) or ()), _item_ids(field, new[field] or ())
        entry["added"] = sorted(now - was)
        entry["removed"] = sorted(was - now)
    else:
        entry["seen"], entry["new"] = seen.get(field), new[field]
        entry["before"] = before.get(field)  # what the service says it replaced
    return entry


def run_client(
    svc: Services, aid: str, client: int, start_at: float, seconds: float, seed: int
) -> dict[str, Any]:
    """Edit at full speed from a screen refreshed every 0.5-1 s; returns the client's log."""
    rng = random.Random(seed)
    assessments = svc.assessments
    fw = svc.catalog.framework(SYB)
    domains = fw.domains[:DOMAINS_EDITED]
    stages = [s.key for s in fw.stages]
    screen = Screen(assessments.record(aid))
    people = screen.assessment.participants
    ops, weights = zip(*WEIGHTS.items(), strict=True)
    log: list[dict[str, Any]] = []
    conflicts: Counter[str] = Counter()
    errors: list[str] = []
    last = None  # the user's last edit, which they may undo
    seq = refreshes = 0
    time.sleep(max(0.0, start_at - time.time()))
    screen = Screen(assessments.record(aid))
    deadline = start_at + seconds
    next_refresh = time.monotonic() + rng.uniform(0.5, 1.0)
    while time.time() < deadline:
        if time.monotonic() >= next_refresh:
            screen = Screen(assessments.record(aid))
            refreshes += 1
            next_refresh = time.monotonic() + rng.uniform(0.5, 1.0)
        seq += 1
        op = rng.choices(ops, weights)[0]
        if op == "undo" and last is None:
            op = "stage"
        domain = rng.choice(domains)
        seen = screen.rating(domain.key)
        try:
            if op == "undo":
                command, last = last, None
                # The undo is the inverse patch: from what the edit wrote back to what it
                # replaced; afterwards command.new holds what the undo itself replaced.
                undo_seen, undo_new = dict(command.after), dict(command.before)
                change = assessments.revert(command)
                log.append(
                    log_entry(
                        command.target, undo_seen, undo_new, command.new, change, client, seq, op
                    )
                )
                screen.apply(change)
                continue
            if op == "stage":
                choices = [s for s in [*stages, None] if s != seen.stage]
                command = assessments.edit_rating(
                    aid, domain.key, seen=seen, stage=rng.choice(choices)
                )
            elif op == "evidence":
                command = assessments.edit_rating(
                    aid, domain.key, seen=seen, evidence=f"c{client}-{seq} evidence"
                )
            elif op == "tick":
                sid = rng.choice(domain.statements).id
                met = seen.statements_met
                new = tuple(s for s in met if s != sid) if sid in met else (*met, sid)
                command = assessments.edit_rating(aid, domain.key, seen=seen, statements_met=new)
            elif op == "vote":
                person = rng.choice(people)
                vote = screen.vote(domain.key, person.id)
                stage = rng.choice([s for s in [*stages, None] if s != vote.stage])
                command = assessments.set_vote(
                    aid, person.id, domain.key, stage, seen=vote, who=person.name
                )
            else:  # append an action
                action = Action(new_id(), f"c{client}-{seq} action", f"owner {client}")
                command = assessments.edit_rating(
                    aid, domain.key, seen=seen, actions=(*seen.actions, action)
                )
            change = assessments.execute(command)
        except EditConflict as exc:
            conflicts[",".join(exc.fields)] += 1  # reported to the user, who takes theirs
            screen = Screen(assessments.record(aid))
            if op == "undo":
                last = None
            continue
        except Exception as exc:  # counted and shown, never hidden
            errors.append(f"{op}: {type(exc).__name__}: {exc}"[:300])
            screen = Screen(assessments.record(aid))
            continue
        log.append(
            log_entry(
                command.target, command.seen, command.new, command.before, change, client, seq, op
            )
        )
        screen.apply(change)
        last = command
    return {
        "client": client,
        "log": log,
        "conflicts": dict(conflicts),
        "errors": errors,
        "refreshes": refreshes,
        "attempts": seq,
    }


def client_process(url: str, aid: str, client: int, inbox, outbox) -> None:  # type: ignore[no-untyped-def]
    """A spawned client: open its own services, then run each phase it is sent."""
    try:
        svc = open_services(url, user=f"client{client}")
        svc.assessments.record(aid)
        svc.catalog.framework(SYB)
    except BaseException:
        outbox.put(("failed", client, traceback.format_exc()))
        return
    outbox.put(("ready", client, None))
    try:
        while (job := inbox.get()) is not None:
            start_at, seconds, seed = job
            try:
                outbox.put(("done", client, run_client(svc, aid, client, start_at, seconds, seed)))
            except BaseException:
                outbox.put(("failed", client, traceback.format_exc()))
    finally:
        svc.close()


# -- checking ----------------------------------------------------------------------------
def _scalar(record: AssessmentRecord, key: tuple) -> object:  # type: ignore[type-arg]
    kind, domain, pid, field = key
    if kind == "vote":
        return next(
            (v.stage for v in record.votes if (v.domain_key, v.participant_id) == (domain, pid)),
            None,
        )
    return getattr(record.rating(domain), field)


def _items(record: AssessmentRecord, domain: str, field: str) -> set[str]:
    return _item_ids(field, getattr(record.rating(domain), field))


def check(
    initial: AssessmentRecord, final: AssessmentRecord, entries: list[dict[str, Any]]
) -> dict[str, Any]:
    """Return what happened to every committed edit: present, superseded, no-op or lost."""
    entries = sorted(entries, key=lambda e: e["rev"])
    fate: Counter[str] = Counter()
    problems: list[str] = []
    before_mismatch = 0
    # Revisions: one per committed edit, handed out once each, none lost.
    start, end = initial.assessment.revision, final.assessment.revision
    revs = [e["rev"] for e in entries]
    duplicated = len(revs) - len(set(revs))
    expected = set(range(start + 1, start + len(entries) + 1))
    lost_increments = duplicated + abs((end - start) - len(entries))
    if set(revs) != expected:
        lost_increments = max(lost_increments, len(expected ^ set(revs)))
    if lost_increments:
        problems.append(
            f"revision {start} -> {end} for {len(entries)} committed edits "
            f"({duplicated} revisions handed out twice)"
        )
    # Scalars: each write saw the value the previous write left (or wrote the same value).
    writes: dict[tuple, list[dict[str, Any]]] = defaultdict(list)  # type: ignore[type-arg]
    items: dict[tuple, list[tuple[int, bool, dict[str, Any]]]] = defaultdict(list)  # type: ignore[type-arg]
    for e in entries:
        if e["field"] in LIST_FIELDS:
            for item in e["added"]:
                items[(e["domain"], e["field"], item)].append((e["rev"], True, e))
            for item in e["removed"]:
                items[(e["domain"], e["field"], item)].append((e["rev"], False, e))
            if not e["added"] and not e["removed"]:
                fate["no-op"] += 1
        else:
            writes[(e["kind"], e["domain"], e["pid"], e["field"])].append(e)
    item_fates: dict[int, list[str]] = defaultdict(list)  # per entry (by rev): its items' fates
    for key, chain in writes.items():
        current = _scalar(initial, key)
        previous: dict[str, Any] | None = None
        for w in chain:
            if w["seen"] == w["new"]:
                fate["no-op"] += 1
                continue
            if w["before"] != current:
                before_mismatch += 1
            if w["seen"] != current and w["new"] != current:
                # It replaced a value its user never saw: the previous write was lost.
                # (the initial value counts too: an earlier phase's last write)
                who = f"rev {previous['rev']}" if previous else "the initial value"
                problems.append(f"{key}: rev {w['rev']} overwrote {who} unseen")
                fate["lost"] += 1
            elif previous is not None:
                fate["superseded"] += 1
            current, previous = w["new"], w
        stored = _scalar(final, key)
        if previous is not None:
            if stored == current:
                fate["present"] += 1
            else:
                fate["lost"] += 1
                problems.append(f"{key}: stored {stored!r}, last write rev {previous['rev']}")
    for key, events in items.items():
        domain, field, item = key
        state = item in _items(initial, domain, field)
        for _rev, _added, e in events[:-1]:
            item_fates[e["rev"]].append("superseded")
        for _rev, added, _e in events:
            state = added
        present = item in _items(final, domain, field)
        last = events[-1][2]
        if present == state:
            item_fates[last["rev"]].append("present")
        else:
            item_fates[last["rev"]].append("lost")
            problems.append(
                f"{key}: {'missing' if state else 'still there'} after rev {last['rev']}"
            )
    for fates in item_fates.values():
        fate["lost" if "lost" in fates else "present" if "present" in fates else "superseded"] += 1
    for key in {(d, f) for d, f, _ in items} | {
        (r.domain_key, f) for r in final.ratings for f in LIST_FIELDS
    }:
        domain, field = key
        known = {i for d, f, i in items if (d, f) == key} | _items(initial, domain, field)
        phantom = _items(final, domain, field) - known
        if phantom:
            problems.append(f"{key}: items no committed edit added: {sorted(phantom)[:3]}")
    return {
        "committed": len(entries),
        "present": fate["present"],
        "superseded": fate["superseded"],
        "no_op": fate["no-op"],
        "lost_writes": fate["lost"],
        "lost_increments": lost_increments,
        "lost": fate["lost"] + lost_increments,
        "before_mismatch": before_mismatch,
        "problems": problems,
    }


# -- statements per edit and the key-press figure ----------------------------------------
def statements_per_edit(svc: Services, aid: str) -> dict[str, int]:
    """Count the SQL statements one edit of each kind runs (BEGIN/COMMIT not counted)."""
    from sqlalchemy import event

    assessments = svc.assessments
    record = assessments.record(aid)
    person = record.assessment.participants[0]
    fw = svc.catalog.framework(SYB)
    domain = fw.domains[-1]
    stages = [s.key for s in fw.stages]

    def edits(n: int):  # type: ignore[no-untyped-def]
        seen = assessments.record(aid).rating(domain.key)
        vote = next(
            (
                v
                for v in assessments.record(aid).votes
                if (v.participant_id, v.domain_key) == (person.id, domain.key)
            ),
            Vote(aid, person.id, domain.key, None),
        )
        return {
            "stage": assessments.edit_rating(aid, domain.key, seen=seen, stage=stages[n % 4]),
            "evidence": assessments.edit_rating(aid, domain.key, seen=seen, evidence=f"e{n}"),
            "tick": assessments.edit_rating(
                aid, domain.key, seen=seen, statements_met=(domain.statements[n].id,)
            ),
            "action": assessments.edit_rating(
                aid, domain.key, seen=seen, actions=(*seen.actions, Action(new_id(), f"a{n}"))
            ),
            "vote": assessments.set_vote(
                aid,
                person.id,
                domain.key,
                stages[n % 4],
                seen=vote,
                who=person.name,
            ),
        }

    for command in edits(0).values():  # warm the caches, as a running app has them
        assessments.execute(command)
    counted: list[str] = []

    def count(_conn, _cursor, statement, _params, _context, _many):  # type: ignore[no-untyped-def]
        word = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
        if word not in ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"):
            counted.append(statement)

    engine = svc.db.engine
    out: dict[str, int] = {}
    for name, command in edits(1).items():
        counted.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            assessments.execute(command)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        out[name] = len(counted)
    return out


def sqlite_keypress_ms(svc: Services, aid: str, edits: int) -> list[float]:
    """Time key press -> edit committed and acknowledged for one field, `edits` times."""
    assessments = svc.assessments
    domain = svc.catalog.framework(SYB).domains[0].key
    seen = assessments.record(aid).rating(domain)
    times = []
    for n in range(edits + 5):
        t0 = time.perf_counter()
        command = assessments.edit_rating(aid, domain, seen=seen, evidence=f"typed {n}")
        change = assessments.execute(command)
        elapsed = (time.perf_counter() - t0) * 1000
        seen = change.rating
        if n >= 5:  # the first few warm caches
            times.append(elapsed)
    return times


def sqlite_bare_commit_ms(folder: str, edits: int) -> list[float]:
    """The baseline: one UPDATE committed by bare sqlite3 (WAL, synchronous=FULL)."""
    con = sqlite3.connect(os.path.join(folder, "bare.sqlite3"), isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    con.execute("INSERT INTO t VALUES (1, '')")
    times = []
    for n in range(edits + 5):
        t0 = time.perf_counter()
        con.execute("BEGIN IMMEDIATE")
        con.execute("UPDATE t SET v = ? WHERE id = 1", (f"typed {n}",))
        con.execute("COMMIT")
        if n >= 5:
            times.append((time.perf_counter() - t0) * 1000)
    con.close()
    return times


# -- the run -----------------------------------------------------------------------------
def figure(name: str, value: object, unit: str, target: object, ok: bool | None = None) -> dict:  # type: ignore[type-arg]
    if ok is None:
        ok = True if target is None else value <= target  # type: ignore[operator]
    return {"name": name, "value": value, "unit": unit, "target": target, "ok": ok}


def run_phases(url: str, aid: str, clients: list[int], seconds: float, say) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Run each phase with N clients (spawned processes) and check it; returns the results."""
    ctx = mp.get_context("spawn")
    outbox = ctx.Queue()
    inboxes = [ctx.Queue() for _ in range(max(clients))]
    procs = [
        ctx.Process(target=client_process, args=(url, aid, k, inboxes[k], outbox), daemon=True)
        for k in range(max(clients))
    ]
    watcher = open_services(url, user="bench")
    results = []
    try:
        for p in procs:
            p.start()
        for _ in procs:
            status, k, detail = outbox.get(timeout=300)
            if status != "ready":
                raise RuntimeError(f"client {k} failed to start:\n{detail}")
        say(f"{len(procs)} client processes ready")
        for phase, n in enumerate(clients):
            initial = watcher.assessments.record(aid)
            start_at = time.time() + 0.5
            for k in range(n):
                inboxes[k].put((start_at, seconds, 1000 * phase + k))
            logs = []
            for _ in range(n):
                status, k, detail = outbox.get(timeout=seconds + 300)
                if status != "done":
                    raise RuntimeError(f"client {k} failed:\n{detail}")
                logs.append(detail)
            final = watcher.assessments.record(aid)
            entries = [e for log in logs for e in log["log"]]
            result = check(initial, final, entries)
            result.update(
                clients=n,
                seconds=seconds,
                conflicts=sum(sum(log["conflicts"].values()) for log in logs),
                conflict_fields=dict(sum((Counter(log["conflicts"]) for log in logs), Counter())),
                errors=[e for log in logs for e in log["errors"]],
                refreshes=sum(log["refreshes"] for log in logs),
                attempts=sum(log["attempts"] for log in logs),
                by_op=dict(Counter(e["op"] for e in entries)),
            )
            results.append(result)
            say(
                f"N={n}: {result['committed']} committed ({result['committed'] / seconds:.0f}/s), "
                f"{result['present']} present, {result['superseded']} superseded, "
                f"{result['no_op']} no-op, {result['conflicts']} conflicts, "
                f"lost {result['lost']}, errors {len(result['errors'])}"
            )
    finally:
        for q in inboxes:
            q.put(None)
        # Their logs are in; a client slow to exit (a loaded machine) is just terminated.
        deadline = time.monotonic() + 3
        for p in procs:
            p.join(max(0.1, deadline - time.monotonic()))
        for p in procs:
            if p.is_alive():
                p.terminate()
                p.join(5)
        watcher.close()
        say("clients stopped")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON (last)")
    parser.add_argument("--seconds", type=float, default=30.0, help="per N (default 30)")
    parser.add_argument("--clients", default="2,5,20", help="the Ns (default 2,5,20)")
    parser.add_argument("--edits", type=int, default=200, help="SQLite key-press samples")
    args = parser.parse_args(argv)
    clients = [int(n) for n in args.clients.split(",") if n.strip()]
    # A SIGTERM (e.g. a CI timeout) still stops the server and the clients.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    began = time.monotonic()

    def say(text: str) -> None:
        line = f"[{time.monotonic() - began:5.1f} s] {text}"
        print(line, file=sys.stderr if args.json else sys.stdout, flush=True)

    with tempfile.TemporaryDirectory(prefix="matrix-bench-") as folder:
        lite = open_services(os.path.join(folder, "bench.sqlite3"), user="bench")
        try:
            lite_aid = make_draft(lite)
            lite_statements = statements_per_edit(lite, lite_aid)
            keypress = sqlite_keypress_ms(lite, lite_aid, args.edits)
        finally:
            lite.close()
        bare = sqlite_bare_commit_ms(folder, args.edits)
    say("SQLite figures measured")
    with pg_server() as server:
        say(f"PostgreSQL {server.version} on 127.0.0.1:{server.port}")
        url = server.create_database("bench")
        server_admin.init(url)  # as a region's administrator would; opening never migrates
        svc = open_services(url, user="bench")
        try:
            aid = make_draft(svc)
            pg_statements = statements_per_edit(svc, aid)
        finally:
            svc.close()
        results = run_phases(url, aid, clients, args.seconds, say)
    say("server stopped")

    keypress_ms, bare_ms = statistics.median(keypress), statistics.median(bare)
    figures = []
    for r in results:
        n = r["clients"]
        figures.append(
            figure(
                f"lost_{n}",
                r["lost"],
                "edits",
                0,
                ok=r["lost"] == 0,
            )
            | {"problems": r["problems"][:5]}
        )
    for r in results:
        n = r["clients"]
        figures += [
            figure(f"edits_committed_{n}", r["committed"], "edits", None),
            figure(f"edits_present_{n}", r["present"], "edits", None),
            figure(f"conflicts_{n}", r["conflicts"], "conflicts", None),
            figure(f"client_errors_{n}", len(r["errors"]), "errors", 0),
        ]
    figures += [
        figure(
            "statements_per_edit_sqlite",
            max(lite_statements.values()),
            "statements",
            STATEMENTS_TARGET,
        )
        | {"per_kind": lite_statements},
        figure(
            "statements_per_edit_postgresql",
            max(pg_statements.values()),
            "statements",
            STATEMENTS_TARGET,
        )
        | {"per_kind": pg_statements},
        figure(
            "sqlite_keypress_to_committed_ms",
            round(keypress_ms, 2),
            "ms",
            KEYPRESS_TARGET_MS,
        )
        | {"baseline_ms": round(bare_ms, 2), "samples": len(keypress)},
        figure("sqlite_keypress_vs_bare_commit", round(keypress_ms / bare_ms, 2), "ratio", None),
    ]
    if not args.json:
        for r in results:
            print(
                f"N={r['clients']}: by kind {r['by_op']}; conflicts by field "
                f"{r['conflict_fields']}; screen refreshes {r['refreshes']}; "
                f"audit 'before' mismatches {r['before_mismatch']}"
            )
            for problem in r["problems"][:10]:
                print("  problem:", problem)
            for error in r["errors"][:5]:
                print("  error:", error)
        for f in figures:
            target = f" (target {f['target']})" if f["target"] is not None else ""
            print(
                f"{f['name']:<36} {f['value']} {f['unit']}{target}  {'ok' if f['ok'] else 'MISSED'}"
            )
    else:
        print(json.dumps({"figures": figures}))
    return 0 if all(f["ok"] for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
