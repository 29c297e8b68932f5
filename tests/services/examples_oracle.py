"""Reads the example exchange files directly (no application code), as an independent oracle."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "assessments"
STAGES = ["emerging", "developing", "maturing", "thriving"]
SYB = "syb-place-development-matrix"
ICS = "nhs-ics-maturity-matrix"


def documents() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.json"))]


def latest_final(framework: str = SYB) -> dict[str, dict]:
    """Return {entity name: its latest final self-assessment document} against a framework.

    The places and collaboratives use the SYB matrix; the system-level self-assessment of
    SYB ICS uses the ICS maturity matrix.
    """
    out = {}
    for doc in documents():
        name = doc["entities"][0]["name"]
        seq = {r["id"]: r["sequence"] for r in doc["rounds"]}
        finals = [
            a
            for a in doc["assessments"]
            if a["kind"] == "self_assessment"
            and a["status"] == "final"
            and a["framework"]["key"] == framework
        ]
        if finals:
            out[name] = max(finals, key=lambda a: seq[a["round_id"]])
    return out


def stage_positions(assessment: dict) -> dict[str, int | None]:
    return {
        r["domain"]: (STAGES.index(r["stage"]) + 1 if r["stage"] else None)
        for r in assessment["ratings"]
    }


def theme_counts(kind_field: str) -> Counter:
    """Return Counter of (domain, text) over the latest final assessments."""
    counts: Counter = Counter()
    for a in latest_final().values():
        for r in a["ratings"]:
            for item in r[kind_field]:
                counts[(r["domain"], item["text"])] += 1
    return counts
