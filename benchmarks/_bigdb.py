"""A generated large database (42 systems x 10 entities x 12 rounds) for benchmarks, cached on disk.

make_big_database(path) builds it once with bulk Core inserts (about 5,000 assessments and
65,000 ratings) and reuses the file while its recorded shape matches. Ratings hold actions
that live across rounds (the same ids while open or in progress, as the app carries them),
drawn from their own random stream so the stages are those of earlier shapes.
"""

from __future__ import annotations

import json
import random
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sqlalchemy import insert, select  # noqa: E402

from matrix_desktop.storage.database import open_database  # noqa: E402
from matrix_desktop.storage.tables import (  # noqa: E402
    AssessmentRow,
    EntityRow,
    MetaRow,
    RatingRow,
    RoundRow,
    SystemRow,
)

CACHE_DIR = Path(__file__).resolve().parent / ".cache"
DEFAULT_PATH = CACHE_DIR / "big.sqlite3"
FRAMEWORK = ("syb-place-development-matrix", "v1-4")
STAGES = ("emerging", "developing", "maturing", "thriving")
TAGS = ("finance", "governance", "data", "workforce", "relationships", "digital")
ENABLERS = (
    "Shared care record rollout",
    "Trusted relationships between chief executives",
    "Joint posts between council and CCG",
    "Pooled budget through the Better Care Fund",
)
SUPPORT = (
    "Analytical support for population health management",
    "Workforce planning expertise",
    "Examples of outcome frameworks from other places",
    "Support with estates strategy",
)
NS = uuid.UUID("0b5e7a11-0000-4000-8000-000000000042")


def _uid(*parts: object) -> str:
    return str(uuid.uuid5(NS, "/".join(map(str, parts))))


def _shape(systems: int, entities: int, rounds: int) -> str:
    return json.dumps({"systems": systems, "entities": entities, "rounds": rounds, "v": 2})


OWNERS = ("Place lead", "Director of finance", "Council officer", "Trust COO", "VCS lead")


def _next_actions(
    rng: random.Random, live: list[dict[str, object]], key: tuple[object, ...], r: int
) -> list[dict[str, object]]:
    """Return one rating's actions in round r (0-based) and leave the still-live ones in live.

    Live actions keep their ids; each round some are done, dropped or started, some added.
    """
    shown: list[dict[str, object]] = []
    still: list[dict[str, object]] = []
    for action in live:
        roll = rng.random()
        if roll < 0.3:
            shown.append({**action, "status": "done", "completed_on": f"{2020 + r // 4}-06-30"})
        elif roll < 0.35:
            shown.append({**action, "status": "dropped", "completed_on": f"{2020 + r // 4}-06-30"})
        else:
            changed = {**action, "status": "in_progress"} if roll < 0.55 else action
            shown.append(changed)
            still.append(changed)
    if rng.random() < 0.35:
        year = 2020 + r // 4 + rng.randint(0, 1)
        new: dict[str, object] = {
            "id": _uid("action", *key, r),
            "what": "Generated action for benchmarking",
            "owner": rng.choice(OWNERS),
            "due": f"{year}-{rng.randint(1, 12):02d}-28",
        }
        shown.append(new)
        still.append(new)
    live[:] = still
    return shown


def _existing_shape(path: Path) -> str | None:
    import sqlite3

    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM app_meta WHERE key='bench_shape'").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def make_big_database(
    path: str | Path = DEFAULT_PATH, systems: int = 42, entities: int = 10, rounds: int = 12
) -> Path:
    """Return the path of a database of the given shape, generating it if missing or stale."""
    path = Path(path)
    shape = _shape(systems, entities, rounds)
    if path.exists() and _existing_shape(path) == shape:
        return path
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = open_database(path)
    rng = random.Random(42)
    plan_rng = random.Random(17)  # actions: their own stream, so stages stay as before
    from matrix_desktop.services.catalog import CatalogService

    fw = CatalogService(db).framework(*FRAMEWORK)
    domains = [d.key for d in fw.domains]
    now = "2024-01-01T00:00:00.000000+00:00"
    round_rows = [
        {"id": _uid("round", r), "name": f"Round {r + 1:02d}", "sequence": r + 1}
        for r in range(rounds)
    ]
    system_rows, entity_rows, assessment_rows, rating_rows = [], [], [], []
    for s in range(systems):
        sid = _uid("system", s)
        system_rows.append(
            {
                "id": sid,
                "name": f"System {s + 1:02d}",
                "short_name": f"S{s + 1:02d}",
                "modified_at": now,
            }
        )
        for e in range(entities):
            eid = _uid("entity", s, e)
            kind = "place_partnership" if e < 6 else "provider_collaborative"
            entity_rows.append(
                {
                    "id": eid,
                    "system_id": sid,
                    "name": f"Entity {s + 1:02d}-{e + 1:02d}",
                    "kind": kind,
                    "members_json": json.dumps([f"Org {e}-{m}" for m in range(5)]),
                    "modified_at": now,
                }
            )
            level = [rng.randint(1, 2) for _ in domains]
            live: list[list[dict[str, object]]] = [[] for _ in domains]
            for r, rnd in enumerate(round_rows):
                aid = _uid("assessment", s, e, r)
                final = r < rounds - 1 or rng.random() < 0.7
                assessment_rows.append(
                    {
                        "id": aid,
                        "entity_id": eid,
                        "framework_key": FRAMEWORK[0],
                        "framework_version": FRAMEWORK[1],
                        "round_id": rnd["id"],
                        "kind": "self_assessment",
                        "status": "final" if final else "draft",
                        "reviews_id": None,
                        "title": f"Entity {s}-{e} round {r + 1}",
                        "assessed_on": None,
                        "facilitator": "Facilitator",
                        "reviewer_name": "",
                        "reviewer_organisation": "",
                        "strengths": "",
                        "areas_to_develop": "",
                        "recommendations": "",
                        "participants_json": "[]",
                        "created_at": now,
                        "modified_at": now,
                        "revision": 1,
                    }
                )
                for i, key in enumerate(domains):
                    if rng.random() < 0.25:
                        level[i] = max(1, min(4, level[i] + rng.choice((-1, 1, 1))))
                    enablers = [
                        {"text": rng.choice(ENABLERS), "tags": [rng.choice(TAGS)]}
                        for _ in range(rng.randint(0, 2))
                    ]
                    support = [
                        {"text": rng.choice(SUPPORT), "tags": [rng.choice(TAGS)]}
                        for _ in range(rng.randint(0, 1))
                    ]
                    rating_rows.append(
                        {
                            "assessment_id": aid,
                            "domain_key": key,
                            "stage": STAGES[level[i] - 1],
                            "confidence": "medium",
                            "direction": None,
                            "evidence": "Generated evidence for benchmarking. " * 3,
                            "rationale": "Generated rationale.",
                            "statements_met_json": "[]",
                            "enablers_json": json.dumps(enablers),
                            "support_json": json.dumps(support),
                            "actions_json": json.dumps(
                                _next_actions(plan_rng, live[i], (s, e, key), r)
                            ),
                            "review_position": None,
                            "review_comment": "",
                            "review_suggestions": "",
                            "carried_forward": False,
                            "modified_at": now,
                        }
                    )
    with db.engine.begin() as conn:
        conn.execute(insert(RoundRow.__table__), round_rows)  # type: ignore[attr-defined]
        conn.execute(insert(SystemRow.__table__), system_rows)  # type: ignore[attr-defined]
        conn.execute(insert(EntityRow.__table__), entity_rows)  # type: ignore[attr-defined]
        conn.execute(insert(AssessmentRow.__table__), assessment_rows)  # type: ignore[attr-defined]
        conn.execute(insert(RatingRow.__table__), rating_rows)  # type: ignore[attr-defined]
        conn.execute(insert(MetaRow.__table__), [{"key": "bench_shape", "value": shape}])  # type: ignore[attr-defined]
        count = conn.execute(select(RatingRow.__table__.c.domain_key).limit(1)).all()  # type: ignore[attr-defined]
        assert count
    db.close()
    return path


if __name__ == "__main__":
    import time

    start = time.perf_counter()
    out = make_big_database(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_PATH)
    print(f"{out} ready in {time.perf_counter() - start:.1f} s")
