"""Property-based generators of VALID exchange and framework files, and mutations of them.

Shared by tests/exchange/test_fuzz.py (a fast subset) and benchmarks/fuzz.py (10,000 cases):

- valid_exchange(data, tag): a whole exchange document (a framework of its own, systems,
  entities, rounds, self-assessments with ratings, views, actions, and a peer review of
  the same place), built as the format allows, with a fresh checksum;
- keep_valid(doc, data): a mutation that keeps a file valid (key order, indentation,
  escaping, list order, optional keys left out, other text), re-signed as needed;
- valid_framework(data, tag): a framework file's spec (published stages in their order,
  custom stages between them), and framework_text(spec, data) in YAML or JSON;
- break_framework(spec, data): a framework file made invalid (stages out of order,
  repeated keys, NaN, long integers, aliases, deep nesting, bad characters, unknown or
  missing keys).

Names carry the case's tag, so files accepted into one database never meet by name.
"""

from __future__ import annotations

import json
import random
import uuid
from typing import Any

from hypothesis import strategies as st

from matrix_desktop.exchange.codec import content_checksum

PUBLISHED = ("emerging", "developing", "maturing", "thriving")
KINDS = ("integrated_care_system", "place_partnership", "provider_collaborative")
STAMP = "2024-01-01T00:00:00.000000+00:00"

# Text a file may hold: any assigned character but controls (tab and newline aside),
# surrogates and the line/paragraph separators (core.rules.bad_character).
_CHARS = st.characters(
    blacklist_categories=("Cs", "Cc", "Cn", "Zl", "Zp"),
    blacklist_characters="\x85",
) | st.sampled_from(list("\t\n abcéß€😀中"))
TEXT = st.text(_CHARS, max_size=40)
NAME = st.text(_CHARS, min_size=1, max_size=30).filter(lambda s: s.strip() != "")


def _id() -> str:
    return str(uuid.uuid4())


def sign(doc: dict[str, Any]) -> dict[str, Any]:
    """Give a document a fresh checksum (the content hashes are left out; they are optional)."""
    for a in doc.get("assessments", []):
        if isinstance(a, dict):
            a.pop("content_hash", None)
    doc["checksum"] = content_checksum(doc)
    return doc


def _stage_keys(data: st.DataObject) -> list[str]:
    """Stages: published ones in their order, custom ones anywhere between them."""
    published = [k for k in PUBLISHED if data.draw(st.booleans())]
    custom = [f"c{i}" for i in range(data.draw(st.integers(0, 3)))]
    keys: list[str] = []
    while published or custom:
        take_custom = custom and (not published or data.draw(st.booleans()))
        keys.append(custom.pop(0) if take_custom else published.pop(0))
    while len(keys) < 2:
        keys.append(f"x{len(keys)}")
    return keys


def valid_framework(data: st.DataObject, tag: str) -> dict[str, Any]:
    """Return a framework file's spec (a dict) that the framework schema accepts."""
    keys = _stage_keys(data)
    applies = data.draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=3, unique=True))
    domains = []
    for n in range(1, data.draw(st.integers(1, 4)) + 1):
        descriptors = {
            k: data.draw(st.lists(NAME, max_size=2)) for k in keys if data.draw(st.booleans())
        }
        domain: dict[str, Any] = {"key": f"d{n}", "title": data.draw(NAME)}
        if data.draw(st.booleans()):
            domain["number"] = n
        if data.draw(st.booleans()):
            domain["summary"] = data.draw(TEXT)
        domain["descriptors"] = descriptors
        domains.append(domain)
    spec: dict[str, Any] = {
        "format": 1,
        "key": f"fuzz-{tag}",
        "version": f"v{data.draw(st.integers(1, 99))}",
        "name": data.draw(NAME),
        "publisher": data.draw(NAME),
        "published": data.draw(st.dates()).isoformat(),
        "source": data.draw(NAME),
        "applies_to": applies,
        "stages": [
            {"key": k, "name": data.draw(NAME), "description": data.draw(st.none() | TEXT)}
            for k in keys
        ],
        "domains": domains,
    }
    if data.draw(st.booleans()):
        spec["threshold"] = {"stage": data.draw(st.sampled_from(keys)), "label": None}
    if data.draw(st.booleans()):
        spec["supporting"] = [
            {"key": "s1", "title": data.draw(NAME), "descriptors": {keys[0]: [data.draw(NAME)]}}
        ]
    if data.draw(st.booleans()):
        spec["notes"] = data.draw(st.lists(NAME, max_size=2))
    return spec


def _statement_ids(spec: dict[str, Any], domain: dict[str, Any]) -> list[str]:
    return [
        f"{domain['key']}.{k}.{n}"
        for k in (s["key"] for s in spec["stages"])
        for n in range(1, len(domain["descriptors"].get(k, [])) + 1)
    ]


def _rating(data: st.DataObject, spec: dict[str, Any], domain: dict[str, Any]) -> dict[str, Any]:
    stages = [s["key"] for s in spec["stages"]]
    return {
        "domain": domain["key"],
        "stage": data.draw(st.none() | st.sampled_from(stages)),
        "confidence": data.draw(st.sampled_from([None, "low", "medium", "high"])),
        "direction": data.draw(st.sampled_from([None, "improving", "no_change", "deteriorating"])),
        "evidence": data.draw(TEXT),
        "rationale": data.draw(TEXT),
        "statements_met": sorted(
            data.draw(st.sets(st.sampled_from(_statement_ids(spec, domain) or ["none"]))) - {"none"}
        ),
        "enablers": [
            {"text": data.draw(NAME), "tags": data.draw(st.lists(NAME, max_size=2))}
            for _ in range(data.draw(st.integers(0, 1)))
        ],
        "support_requests": [],
        "actions": [
            {
                "id": _id(),
                "what": data.draw(NAME),
                "owner": data.draw(TEXT),
                "due": data.draw(st.none() | st.dates().map(lambda d: d.isoformat())),
            }
            for _ in range(data.draw(st.integers(0, 1)))
        ],
        "review_position": None,
        "review_comment": "",
        "review_suggestions": "",
        "carried_forward": data.draw(st.booleans()),
    }


def _assessment(
    data: st.DataObject, spec: dict[str, Any], entity: dict[str, Any], round_id: str
) -> dict[str, Any]:
    people = [
        {"id": _id(), "name": data.draw(NAME), "organisation": data.draw(TEXT)}
        for _ in range(data.draw(st.integers(0, 2)))
    ]
    rated = [d for d in spec["domains"] if data.draw(st.booleans())]
    stages = [s["key"] for s in spec["stages"]]
    votes = [
        {"participant_id": p["id"], "domain": d["key"], "stage": data.draw(st.sampled_from(stages))}
        for p in people
        for d in rated
        if data.draw(st.booleans())
    ]
    return {
        "id": _id(),
        "entity_id": entity["id"],
        "round_id": round_id,
        "framework": {"key": spec["key"], "version": spec["version"]},
        "kind": "self_assessment",
        "status": data.draw(st.sampled_from(["draft", "final"])),
        "reviews_id": None,
        "title": data.draw(TEXT),
        "assessed_on": data.draw(st.none() | st.dates().map(lambda d: d.isoformat())),
        "facilitator": data.draw(TEXT),
        "reviewer_name": "",
        "reviewer_organisation": "",
        "strengths": data.draw(TEXT),
        "areas_to_develop": data.draw(TEXT),
        "recommendations": data.draw(TEXT),
        "participants": people,
        "created_at": STAMP,
        "modified_at": STAMP,
        "revision": data.draw(st.integers(1, 50)),
        "ratings": [_rating(data, spec, d) for d in rated],
        "votes": votes,
        "shared_hashes": [],
    }


def valid_exchange(data: st.DataObject, tag: str) -> dict[str, Any]:
    """Return a whole exchange document the reader and the import accept (signed)."""
    spec = valid_framework(data, tag)
    system = {"id": _id(), "name": f"{data.draw(NAME)} {tag}", "short_name": ""}
    entities = [
        {
            "id": _id(),
            "system_id": system["id"],
            "name": f"{data.draw(NAME)} {tag}.{i}",
            "kind": data.draw(st.sampled_from(spec["applies_to"])),
            "members": data.draw(st.lists(NAME, max_size=2)),
        }
        for i in range(data.draw(st.integers(1, 2)))
    ]
    rounds = [
        {"id": _id(), "name": f"{data.draw(NAME)} {tag}.{i}", "sequence": i}
        for i in range(data.draw(st.integers(1, 2)))
    ]
    assessments = [
        _assessment(
            data,
            spec,
            data.draw(st.sampled_from(entities)),
            data.draw(st.sampled_from(rounds))["id"],
        )
        for _ in range(data.draw(st.integers(1, 3)))
    ]
    if data.draw(st.booleans()):  # a peer review of the first, same entity, round, version
        target = assessments[0]
        entity = next(e for e in entities if e["id"] == target["entity_id"])
        review = _assessment(data, spec, entity, target["round_id"])
        review.update(
            kind="peer_review",
            reviews_id=target["id"],
            participants=[],
            votes=[],
            reviewer_name=data.draw(NAME),
        )
        for r in review["ratings"]:
            r["review_position"] = data.draw(st.sampled_from([None, "agree", "challenge"]))
            r["review_comment"] = data.draw(TEXT)
        assessments.append(review)
    doc = {
        "format": "matrix-desktop-exchange",
        "format_version": 1,
        "exported_at": STAMP,
        "note": data.draw(TEXT),
        "frameworks": [spec],
        "systems": [system],
        "entities": entities,
        "rounds": rounds,
        "assessments": assessments,
    }
    feedback = [_feedback(data, spec, a) for a in assessments if data.draw(st.booleans())]
    if feedback:  # optional: files without feedback leave the key out
        doc["feedback"] = feedback
    return sign(doc)


def _feedback(data: st.DataObject, spec: dict[str, Any], a: dict[str, Any]) -> dict[str, Any]:
    """Feedback on the matrix recorded in assessment a: on a statement or a whole domain."""
    domain = data.draw(st.sampled_from(spec["domains"]))
    statement = data.draw(st.none() | st.sampled_from(_statement_ids(spec, domain) or [None]))
    kind = data.draw(st.sampled_from(["clarity", "rewording"]))
    return {
        "id": _id(),
        "assessment_id": a["id"],
        "domain": domain["key"],
        "statement": statement,
        "kind": kind,
        "text": data.draw(NAME),
        "wording": data.draw(NAME) if kind == "rewording" else data.draw(TEXT),
        "author": data.draw(TEXT),
        "created_at": STAMP,
    }


# -- mutations that keep a file valid ---------------------------------------------------

VALID_KINDS = ["reformat", "reorder_lists", "drop_defaults", "other_text", "spaces_around"]


def _shuffled_keys(value: Any, rng: random.Random) -> Any:
    if isinstance(value, dict):
        items = list(value.items())
        rng.shuffle(items)
        return {k: _shuffled_keys(v, rng) for k, v in items}
    if isinstance(value, list):
        return [_shuffled_keys(v, rng) for v in value]
    return value


_DEFAULTS = {"note": "", "title": "", "facilitator": "", "evidence": "", "reviews_id": None}


def keep_valid(doc: dict[str, Any], data: st.DataObject) -> bytes:
    """Return the document's bytes after a mutation that keeps it valid."""
    kind = data.draw(st.sampled_from(VALID_KINDS), label="valid mutation")
    rng = random.Random(data.draw(st.integers(0, 2**32), label="seed"))
    if kind == "reorder_lists":
        for name in ("entities", "rounds", "assessments"):
            rng.shuffle(doc[name])
        sign(doc)
    elif kind == "drop_defaults":
        for a in doc["assessments"]:
            for k, v in _DEFAULTS.items():
                if a.get(k, object()) == v:
                    del a[k]
        if doc.get("note") == "":
            del doc["note"]
        sign(doc)
    elif kind == "other_text":
        a = rng.choice(doc["assessments"])
        a["strengths"] = data.draw(TEXT)
        doc["note"] = data.draw(TEXT)
        sign(doc)
    indent = data.draw(st.sampled_from([None, 0, 1, 2, "\t"]), label="indent")
    escaped = data.draw(st.booleans(), label="ascii")
    text = json.dumps(_shuffled_keys(doc, rng), indent=indent, ensure_ascii=escaped)
    if kind == "spaces_around":
        text = "\n \t" + text + "\r\n\n"
    return text.encode("utf-8")


# -- framework files ----------------------------------------------------------------------


def framework_text(spec: dict[str, Any], data: st.DataObject) -> tuple[str, str]:
    """Return (suffix, text) of a framework file for a spec: YAML (any key order) or JSON."""
    import yaml

    style = data.draw(st.sampled_from(["yaml-sorted", "yaml", "yaml-flow", "json"]), label="as")
    if style == "json":
        return ".json", json.dumps(spec, indent=data.draw(st.sampled_from([None, 2])))
    return ".yaml", yaml.safe_dump(
        spec,
        sort_keys=style == "yaml-sorted",
        allow_unicode=data.draw(st.booleans(), label="unicode"),
        default_flow_style=True if style == "yaml-flow" else False,
        width=data.draw(st.sampled_from([80, 10_000])),
    )


BREAK_FRAMEWORK = [
    "stage_order",
    "repeated_key",
    "nan",
    "long_int",
    "alias",
    "deep",
    "bad_character",
    "unknown_key",
    "missing_key",
]


def break_framework(spec: dict[str, Any], data: st.DataObject) -> tuple[str, str]:
    """Return (suffix, text) of a framework file made invalid in one of BREAK_FRAMEWORK's ways."""
    import yaml

    kind = data.draw(st.sampled_from(BREAK_FRAMEWORK), label="framework break")
    spec = json.loads(json.dumps(spec))
    as_json = data.draw(st.booleans(), label="json")
    if kind == "stage_order":
        spec["stages"] = [{"key": k, "name": k.title()} for k in ("thriving", "emerging")] + [
            s for s in spec["stages"] if s["key"] not in ("thriving", "emerging")
        ]
    elif kind == "bad_character":
        # Not NEL in YAML: there it is a line break, which a quoted scalar folds away (so
        # the value read holds no NEL, and the file is rightly accepted).
        chars = ["\x01", "\x7f", "\u2028", "\u2029"] + (["\x85"] if as_json else [])
        spec["name"] += data.draw(st.sampled_from(chars))
    elif kind == "unknown_key":
        spec["zz_extra"] = 1
    elif kind == "missing_key":
        del spec[data.draw(st.sampled_from(["key", "version", "stages", "domains", "name"]))]
    text = json.dumps(spec) if as_json else yaml.safe_dump(spec, allow_unicode=True)
    if kind == "bad_character" and not as_json and yaml.safe_load(text)["name"] != spec["name"]:
        as_json, text = True, json.dumps(spec)  # YAML folded the character away
    if kind == "repeated_key":
        text = '{"name": "x", ' + text[1:] if as_json else "name: x\n" + text
    elif kind == "nan":
        literal = data.draw(st.sampled_from(["NaN", "Infinity", "1e999"] if as_json else [".nan"]))
        text = _replace_format(text, as_json, literal)
    elif kind == "long_int":
        text = _replace_format(text, as_json, "9" * data.draw(st.integers(101, 6000)))
    elif kind == "alias":
        return ".yaml", "a: &a [x, y]\nb: *a\n" + yaml.safe_dump(spec)
    elif kind == "deep":
        n = data.draw(st.integers(65, 50_000))
        text = _replace_format(text, as_json, "[" * n + "]" * n)
    return (".json" if as_json else ".yaml"), text


def _replace_format(text: str, as_json: bool, literal: str) -> str:
    old = '"format": 1' if as_json else "format: 1"
    assert old in text
    return text.replace(old, ('"format": ' if as_json else "format: ") + literal, 1)


# -- round trips ----------------------------------------------------------------------------


def exchange_round_trip_problem(svc: Any, raw: bytes, out: Any) -> str | None:
    """Return what differs between an imported file and the export of what it brought, or None.

    Compares each assessment's content hash, the frameworks, and the names (and kinds and
    members) of the systems, entities and rounds the assessments refer to.
    """
    from matrix_desktop.core.framework_file import spec_from_framework
    from matrix_desktop.exchange.reader import parse_document, read_file

    sent = parse_document(raw, "sent")
    ids = [r.assessment.id for r in sent.records]
    back = read_file(svc.exchange.export(ids, out))

    def described(b: Any) -> dict[str, Any]:
        entities = {e.id: e for e in b.entities}
        rounds = {r.id: r for r in b.rounds}
        systems = {s.id: s.name for s in b.systems}
        return {
            "hashes": dict(b.hashes),
            "frameworks": sorted(json.dumps(spec_from_framework(f)) for f in b.frameworks),
            "feedback": sorted(
                (f.id, f.assessment_id, f.domain_key, f.statement_id, f.kind, f.text, f.wording)
                for f in b.feedback
            ),
            "places": {
                r.assessment.id: (
                    systems[entities[r.assessment.entity_id].system_id],
                    entities[r.assessment.entity_id].name,
                    entities[r.assessment.entity_id].kind,
                    entities[r.assessment.entity_id].members,
                    rounds[r.assessment.round_id].name,
                    r.assessment.reviews_id,
                )
                for r in b.records
            },
        }

    mine, theirs = described(sent), described(back)
    for part in mine:
        if mine[part] != theirs[part]:
            return f"{part} differ after the round trip: {mine[part]!r} != {theirs[part]!r}"
    return None


def framework_round_trip_problem(svc: Any, fw: Any, out: Any) -> str | None:
    """Return what differs between a framework imported and the file written from it, or None."""
    from matrix_desktop.core.framework_file import read_framework_file
    from matrix_desktop.services.catalog import write_framework_file

    stored = svc.catalog.framework(fw.key, fw.version)
    again = read_framework_file(write_framework_file(stored, out))
    if again != fw or stored != fw:
        return f"framework {fw.key} {fw.version} differs after the round trip"
    return None
