"""Help matched to need: who could help with each request for support, and recorded pairings.

A request for support is a ThemeItem in a domain's support_requests. The entities of the same
system that rated that domain at Maturing or Thriving in the same round (their final
self-assessment; drafts are not counted, their stages are not yet agreed) could help, and the
enablers they recorded for that domain say how. A programme office records a pairing
("Sheffield offered help to Barnsley on governance") and follows it through offered, agreed,
done or withdrawn.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from matrix_desktop.core.commands import Edit, Target
from matrix_desktop.core.errors import ValidationFailed
from matrix_desktop.core.framework import Framework
from matrix_desktop.core.model import Pairing, PairingStatus, ThemeItem

# Said where a request for support has nobody to match (the single view, its export, reports).
NOBODY = "Nobody rated this domain Maturing or Thriving in this round."

__all__ = ["Pairing", "PairingStatus"]  # defined with the other records in core.model

# The stages from which an entity is counted as strong enough to help (by key or name).
HELPING_FROM = "maturing"
DRAFTS_NOTE = "Only final self-assessments count; drafts are left out."


def pairing_status(text: str) -> PairingStatus:
    """Return the status a user typed (any case); ValidationFailed names the allowed ones."""
    wanted = text.strip().casefold()
    for s in PairingStatus:
        if wanted == s.value:
            return s
    allowed = ", ".join(s.value for s in PairingStatus)
    raise ValidationFailed(f"Status {text!r} is not one of: {allowed}.")


# The fields an edit of a pairing carries; a pairing whose fields are all None is absent
# (recording one is an edit from "absent", undoing it an edit back to "absent").
PAIRING_FIELDS = (
    "offering_entity_id",
    "receiving_entity_id",
    "domain_key",
    "round_id",
    "note",
    "status",
    "created_by",
    "created_at",
)
PAIRING_EDITABLE = frozenset({"note", "status"})
NOTE_LIMIT = 2000


def pairing_values(p: Pairing | None) -> dict[str, object]:
    """Return a pairing's edit fields (all None for an absent one)."""
    if p is None:
        return dict.fromkeys(PAIRING_FIELDS)
    return {name: getattr(p, name) for name in PAIRING_FIELDS}


def is_absent(values: Mapping[str, object]) -> bool:
    """True when a pairing's edit fields say it does not exist."""
    return all(values.get(name) is None for name in PAIRING_FIELDS)


def check_pairing(p: Pairing) -> None:
    """Refuse a pairing that cannot be: the same entity on both sides, a bad note or status."""
    if p.offering_entity_id == p.receiving_entity_id:
        raise ValidationFailed(
            "Offering and receiving entity are the same: a pairing is between two entities."
        )
    if not isinstance(p.status, PairingStatus):
        pairing_status(str(p.status))
    if len(p.note) > NOTE_LIMIT:
        raise ValidationFailed(f"Note is {len(p.note)} characters; at most {NOTE_LIMIT}.")
    if "\x00" in p.note:
        raise ValidationFailed("Note holds a NUL character, which cannot be stored.")


# -- matching ------------------------------------------------------------------------------


class RatedDomain(NamedTuple):
    """One domain of one entity's self-assessment in a round: what matching reads."""

    system_id: str
    entity_id: str
    entity_name: str
    round_id: str
    framework_key: str
    domain_key: str
    stage: str | None
    final: bool
    enablers: tuple[ThemeItem, ...] = ()
    support_requests: tuple[ThemeItem, ...] = ()


@dataclass(frozen=True)
class Helper:
    """An entity that could help: its stage in the domain and the enablers it recorded."""

    entity_id: str
    entity_name: str
    stage: str
    enablers: tuple[str, ...]


@dataclass(frozen=True)
class MatchedRequest:
    """One request for support and who could help with it."""

    system_id: str
    round_id: str
    framework_key: str
    domain_key: str
    entity_id: str  # who asked
    entity_name: str
    request: str
    stage: str | None  # the asker's stage in the domain
    helpers: tuple[Helper, ...]


def helping_stages(framework: Framework) -> tuple[str, ...]:
    """Return the stage keys counted as strong enough to help, in order: Maturing and later.

    A framework without a Maturing stage counts its threshold stage and later ones; with
    neither, its last stage only.
    """
    keys = [s.key for s in framework.stages]
    start = next(
        (
            i
            for i, s in enumerate(framework.stages)
            if HELPING_FROM in (s.key.casefold(), s.name.casefold())
        ),
        None,
    )
    if start is None and framework.threshold_stage in keys:
        start = keys.index(framework.threshold_stage)
    if start is None:
        start = len(keys) - 1
    return tuple(keys[start:])


def match_help(
    rated: Iterable[RatedDomain],
    strong: Mapping[str, tuple[str, ...]],
    include_drafts: bool = False,
) -> list[MatchedRequest]:
    """Return every request for support with the entities that could help with it.

    rated: domains of self-assessments; strong: framework key -> the stage keys that can
    help, weakest first (helping_stages). Helpers are other entities of the same system,
    with a stage in strong in the same framework's domain in the same round. Drafts count
    only with include_drafts. Requests keep the order given; helpers are strongest first,
    then by name.
    """
    rows = [r for r in rated if include_drafts or r.final]
    positions = {fw: {k: i for i, k in enumerate(stages)} for fw, stages in strong.items()}
    able: dict[tuple[str, str, str, str], list[RatedDomain]] = defaultdict(list)
    for r in rows:
        if r.stage is not None and r.stage in positions.get(r.framework_key, {}):
            able[(r.system_id, r.round_id, r.framework_key, r.domain_key)].append(r)
    out: list[MatchedRequest] = []
    for r in rows:
        if not r.support_requests:
            continue
        key = (r.system_id, r.round_id, r.framework_key, r.domain_key)
        order = positions.get(r.framework_key, {})
        candidates = sorted(
            (h for h in able.get(key, ()) if h.entity_id != r.entity_id),
            key=lambda h: (-order.get(h.stage or "", 0), h.entity_name.casefold()),
        )
        seen: set[str] = set()
        helpers: list[Helper] = []
        for h in candidates:
            if h.entity_id in seen:
                continue
            seen.add(h.entity_id)
            helpers.append(
                Helper(h.entity_id, h.entity_name, h.stage or "", tuple(e.text for e in h.enablers))
            )
        for item in r.support_requests:
            out.append(
                MatchedRequest(
                    r.system_id,
                    r.round_id,
                    r.framework_key,
                    r.domain_key,
                    r.entity_id,
                    r.entity_name,
                    item.text,
                    r.stage,
                    tuple(helpers),
                )
            )
    return out


def pairing_edit(seen: Pairing | None, pairing_id: str, text: str = "", **changes: object) -> Edit:
    """Return the edit of a pairing from the pairing the user saw (None: recording a new one).

    Recording one sets every field from absent (None); undoing that returns them to absent,
    which removes the pairing.
    """
    values = pairing_values(seen)
    domain = str(changes.get("domain_key") or (seen.domain_key if seen else "")) or None
    return Edit(
        Target("pairing", "", domain, item_id=pairing_id),
        {name: values[name] for name in changes},
        dict(changes),
        text=text,
    )
