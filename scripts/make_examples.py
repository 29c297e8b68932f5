"""Generate the example exchange files in assessments/ (illustrative scores, deterministic)."""

from __future__ import annotations

import random
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from matrix_desktop.core.framework import EntityKind  # noqa: E402
from matrix_desktop.core.framework_file import read_framework_file  # noqa: E402
from matrix_desktop.core.model import (  # noqa: E402
    Action,
    Assessment,
    AssessmentKind,
    AssessmentRecord,
    Confidence,
    Direction,
    Entity,
    Participant,
    Rating,
    ReviewPosition,
    Round,
    Status,
    System,
    ThemeItem,
    Vote,
)
from matrix_desktop.exchange.codec import Bundle, build_document, dumps_document  # noqa: E402

NS = uuid.UUID("6d1c3b1e-0000-4000-8000-000000000000")
NOTE = (
    "Example data for trying matrix-desktop. The scores, votes and text are ILLUSTRATIVE: "
    "they were generated for demonstration and are not real assessments of these partnerships."
)


def uid(*parts: str) -> str:
    return str(uuid.uuid5(NS, "/".join(parts)))


SYSTEM = System(uid("system", "syb"), "South Yorkshire and Bassetlaw Integrated Care System", "SYB ICS")

PLACES = {
    "barnsley": ("Barnsley Place Partnership", [
        "NHS Barnsley Clinical Commissioning Group", "Barnsley Hospital NHS Foundation Trust",
        "South West Yorkshire Partnership NHS Foundation Trust",
        "Barnsley Metropolitan Borough Council", "Barnsley Healthcare Federation",
        "Barnsley Community and Voluntary Services"]),
    "bassetlaw": ("Bassetlaw Place Partnership", [
        "NHS Bassetlaw Clinical Commissioning Group",
        "Doncaster and Bassetlaw Teaching Hospitals NHS Foundation Trust",
        "Nottinghamshire Healthcare NHS Foundation Trust", "Bassetlaw District Council",
        "Nottinghamshire County Council"]),
    "doncaster": ("Doncaster Place Partnership", [
        "NHS Doncaster Clinical Commissioning Group",
        "Doncaster and Bassetlaw Teaching Hospitals NHS Foundation Trust",
        "Rotherham Doncaster and South Humber NHS Foundation Trust",
        "City of Doncaster Council", "Fylde Coast Medical Services (FCMS)"]),
    "rotherham": ("Rotherham Place Partnership", [
        "NHS Rotherham Clinical Commissioning Group", "The Rotherham NHS Foundation Trust",
        "Rotherham Doncaster and South Humber NHS Foundation Trust",
        "Rotherham Metropolitan Borough Council", "Voluntary Action Rotherham"]),
    "sheffield": ("Sheffield Place Partnership", [
        "NHS Sheffield Clinical Commissioning Group", "Sheffield Teaching Hospitals NHS Foundation Trust",
        "Sheffield Children's NHS Foundation Trust", "Sheffield Health and Social Care NHS Foundation Trust",
        "Sheffield City Council", "Voluntary Action Sheffield"]),
}
COLLABORATIVES = {
    "system_acute_federation": "System Acute Federation",
    "system_mental_health_alliance": "System Mental Health Alliance",
    "system_children_and_young_people_collaborative": "System Children’s and Young People Collaborative",
    "primary_care_system_collaborative": "Primary Care System Collaborative",
}
ROUNDS = [Round(uid("round", "2020/21 Q4"), "2020/21 Q4", 1), Round(uid("round", "2021/22 Q2"), "2021/22 Q2", 2)]

ENABLERS = [
    "Shared population health data across partners", "Joint posts between council and CCG",
    "Trusted relationships between chief executives", "Pooled budget through the Better Care Fund",
    "Organisational development programme for the partnership board",
    "Voluntary sector representation on the board", "Shared care record rollout",
]
SUPPORT = [
    "Analytical support for population health management",
    "Legal advice on delegation and contracting", "Facilitation of a governance workshop",
    "Examples of outcome frameworks from other places", "Workforce planning expertise",
    "Support with estates strategy across partners",
]
TAGS = ["data", "governance", "workforce", "finance", "relationships", "digital"]
ROLES = ["Director of Strategy", "Chief Nurse", "Head of Commissioning", "Public Health Consultant",
         "Chief Executive", "Finance Director", "Primary Care Lead", "VCSE Representative"]


def make_record(rng: random.Random, fw, entity: Entity, rnd: Round, base: dict[str, int] | None,
                final: bool) -> tuple[AssessmentRecord, dict[str, int]]:
    aid = uid("assessment", entity.id, rnd.id)
    people = tuple(
        Participant(uid("participant", aid, str(i)), f"Partner {i}",
                    entity.members[(i - 1) % len(entity.members)] if entity.members else "")
        for i in range(1, 6)
    )
    positions: dict[str, int] = {}
    ratings, votes = [], []
    for d in fw.domains:
        start = base[d.key] if base else rng.choice([1, 1, 2, 2, 3])
        pos = min(4, start + (1 if base and rng.random() < 0.45 else 0))
        positions[d.key] = pos
        stage = fw.stage_at(pos)
        met = tuple(s.id for s in d.statements if fw.stage(s.stage_key).position <= pos
                    and rng.random() < 0.8)
        direction = (Direction.IMPROVING if base and pos > base[d.key] else
                     Direction.NO_CHANGE if base else None)
        enablers = tuple(ThemeItem(t, (rng.choice(TAGS),)) for t in rng.sample(ENABLERS, rng.randint(0, 2)))
        support = tuple(ThemeItem(t, (rng.choice(TAGS),)) for t in rng.sample(SUPPORT, rng.randint(0, 2)))
        actions = ()
        if rng.random() < 0.5:
            actions = (Action(uid("action", aid, d.key), f"Agree next steps for {d.title.lower()}",
                              rng.choice(ROLES), f"{2021 + rnd.sequence}-0{rng.randint(1, 9)}-15"),)
        ratings.append(Rating(
            aid, d.key, stage=stage.key, confidence=rng.choice(list(Confidence)), direction=direction,
            evidence=f"Illustrative evidence: partners described progress on {d.title.lower()} "
                     f"with examples from the last {'six months' if base else 'year'}.",
            rationale=f"The room agreed {stage.name} as the best fit for {entity.name} "
                      f"(illustrative).",
            statements_met=met, enablers=enablers, support_requests=support, actions=actions,
        ))
        for p in people:
            view = max(1, min(4, pos + rng.choice([-1, 0, 0, 0, 1])))
            votes.append(Vote(aid, p.id, d.key, fw.stage_at(view).key))
    stamp = f"{2020 + rnd.sequence}-0{2 + rnd.sequence}-1{rnd.sequence}T10:00:00.000000+00:00"
    assessment = Assessment(
        id=aid, entity_id=entity.id, framework_key=fw.key, framework_version=fw.version,
        round_id=rnd.id, status=Status.FINAL if final else Status.DRAFT,
        title=f"{entity.name} self-assessment {rnd.name}", assessed_on=stamp[:10],
        facilitator="Programme office facilitator", participants=people,
        created_at=stamp, modified_at=stamp, revision=1,
    )
    return AssessmentRecord(assessment, tuple(ratings), tuple(votes)), positions


# Peer reviews of the newest round (illustrative): one reviewer agrees throughout, one
# challenges, so the peer-review report shows both kinds of review.
PEER_REVIEWS = {
    "rotherham": ("Reviewer from Doncaster Place", "Doncaster Place Partnership", "agree"),
    "sheffield": ("Reviewer from Barnsley Place", "Barnsley Place Partnership", "challenge"),
}


def make_peer_review(rng: random.Random, fw, own: AssessmentRecord, reviewer: str,
                     organisation: str, stance: str) -> AssessmentRecord:
    a = own.assessment
    pid = uid("peer-review", a.id)
    ratings = []
    for i, d in enumerate(fw.domains):
        mine = own.rating(d.key).stage
        stage = mine
        if stance == "challenge" and mine and i % 3 == 0:  # every third domain one stage lower
            stage = fw.stage_at(max(1, fw.stage(mine).position - 1)).key
        agree = stage == mine
        ratings.append(Rating(
            pid, d.key, stage=stage,
            review_position=ReviewPosition.AGREE if agree else ReviewPosition.CHALLENGE,
            review_comment=(
                f"The evidence supports {fw.stage(mine).name} for {d.title.lower()} "
                "(illustrative)." if agree else
                f"We saw less than {fw.stage(mine).name} describes for {d.title.lower()}: "
                "plans are agreed but not yet in place across partners (illustrative)."
            ) if mine else "",
            review_suggestions="" if agree else "Gather evidence of delivery, not only of plans.",
        ))
    stamp = a.modified_at.replace("T10:", "T15:")
    review = Assessment(
        id=pid, entity_id=a.entity_id, framework_key=a.framework_key,
        framework_version=a.framework_version, round_id=a.round_id,
        kind=AssessmentKind.PEER_REVIEW, status=Status.FINAL, reviews_id=a.id,
        reviewer_name=reviewer, reviewer_organisation=organisation,
        title=f"Peer review of {a.title}", assessed_on=a.assessed_on,
        strengths="Shared purpose and trusted relationships between leaders (illustrative).",
        areas_to_develop=(
            "Little to add: the self-assessment is fair (illustrative)." if stance == "agree"
            else "Delivery lags the plans in several domains (illustrative)."
        ),
        recommendations=(
            "Keep the current pace and share the approach with other places (illustrative)."
            if stance == "agree"
            else "Agree evidence of delivery for each domain before the next round "
                 "(illustrative)."
        ),
        created_at=stamp, modified_at=stamp, revision=1,
    )
    return AssessmentRecord(review, tuple(ratings))


def ics_system_assessment() -> tuple[object, Entity, AssessmentRecord]:
    """A system-level self-assessment of SYB ICS against the ICS maturity matrix 2019."""
    ics = read_framework_file(ROOT / "resources" / "frameworks" / "nhs_ics_maturity_matrix_2019.yaml")
    entity = Entity(uid("entity", "syb-ics-system"), SYSTEM.id,
                    "South Yorkshire and Bassetlaw ICS (system level)",
                    EntityKind.INTEGRATED_CARE_SYSTEM, ())
    rng = random.Random("syb-ics-system")
    record, _ = make_record(rng, ics, entity, ROUNDS[1], None, final=True)
    return ics, entity, record


def main() -> None:
    fw = read_framework_file(ROOT / "resources" / "frameworks" / "syb_place_development_matrix_v1_4.yaml")
    out = ROOT / "assessments"
    out.mkdir(exist_ok=True)
    entities = [
        Entity(uid("entity", key), SYSTEM.id, name, EntityKind.PLACE_PARTNERSHIP, tuple(members))
        for key, (name, members) in PLACES.items()
    ] + [
        Entity(uid("entity", key), SYSTEM.id, name, EntityKind.PROVIDER_COLLABORATIVE, ())
        for key, name in COLLABORATIVES.items()
    ]
    keys = list(PLACES) + list(COLLABORATIVES)
    for key, entity in zip(keys, entities, strict=True):
        rng = random.Random(key)
        first, positions = make_record(rng, fw, entity, ROUNDS[0], None, final=True)
        second, _ = make_record(rng, fw, entity, ROUNDS[1], positions, final=True)
        records = [first, second]
        if key in PEER_REVIEWS:
            records.append(make_peer_review(rng, fw, second, *PEER_REVIEWS[key]))
        bundle = Bundle((fw,), (SYSTEM,), (entity,), tuple(ROUNDS), tuple(records), NOTE)
        doc = build_document(bundle, exported_at="2021-10-01T09:00:00.000000+00:00")
        (out / f"{key.replace('_', '-')}.mdx.json").write_bytes(dumps_document(doc))
    ics, system_entity, record = ics_system_assessment()
    bundle = Bundle((ics,), (SYSTEM,), (system_entity,), (ROUNDS[1],), (record,), NOTE)
    doc = build_document(bundle, exported_at="2021-10-01T09:00:00.000000+00:00")
    (out / "syb-ics-system-level.mdx.json").write_bytes(dumps_document(doc))
    print(f"wrote {len(entities) + 1} files to {out}")


if __name__ == "__main__":
    main()
