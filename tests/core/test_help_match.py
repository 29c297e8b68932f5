"""Matching requests for support with entities strong in the domain (pure, no database)."""

from __future__ import annotations

import pytest

from matrix_desktop.core.errors import ValidationFailed
from matrix_desktop.core.help_match import (
    Pairing,
    PairingStatus,
    RatedDomain,
    check_pairing,
    helping_stages,
    match_help,
    pairing_status,
)
from matrix_desktop.core.model import ThemeItem

STRONG = {"syb": ("maturing", "thriving")}


def _rated(entity, stage, *, needs=(), enablers=(), final=True, rnd="r2", system="s", domain="gov"):
    return RatedDomain(
        system,
        entity.lower(),
        entity,
        rnd,
        "syb",
        domain,
        stage,
        final,
        tuple(ThemeItem(t) for t in enablers),
        tuple(ThemeItem(t) for t in needs),
    )


def test_each_request_lists_entities_at_maturing_or_thriving_with_their_enablers():
    rows = [
        _rated("Barnsley", "emerging", needs=("Help with board papers", "A governance coach")),
        _rated("Sheffield", "maturing", enablers=("Shared board", "Joint committee")),
        _rated("Rotherham", "thriving", enablers=("Place board terms of reference",)),
        _rated("Doncaster", "developing", enablers=("Not strong enough",)),
    ]
    got = match_help(rows, STRONG)
    assert [(m.entity_name, m.request) for m in got] == [
        ("Barnsley", "Help with board papers"),
        ("Barnsley", "A governance coach"),
    ]
    helpers = got[0].helpers
    # strongest first: Thriving before Maturing; Developing is not offered
    assert [(h.entity_name, h.stage) for h in helpers] == [
        ("Rotherham", "thriving"),
        ("Sheffield", "maturing"),
    ]
    assert helpers[1].enablers == ("Shared board", "Joint committee")


def test_only_the_same_system_round_framework_and_domain_count_and_never_oneself():
    rows = [
        _rated("Barnsley", "maturing", needs=("Coaching",), enablers=("Own enabler",)),
        _rated("Other round", "thriving", rnd="r1"),
        _rated("Other system", "thriving", system="t"),
        _rated("Other domain", "thriving", domain="finance"),
        _rated("Sheffield", "thriving"),
    ]
    (match,) = match_help(rows, STRONG)
    assert [h.entity_name for h in match.helpers] == ["Sheffield"]


def test_drafts_are_left_out_unless_asked_for():
    rows = [
        _rated("Barnsley", "emerging", needs=("Coaching",)),
        _rated("Sheffield", "thriving", final=False),
        _rated("Draft asker", "emerging", needs=("Draft need",), final=False),
    ]
    (match,) = match_help(rows, STRONG)
    assert match.helpers == ()
    with_drafts = match_help(rows, STRONG, include_drafts=True)
    assert [m.request for m in with_drafts] == ["Coaching", "Draft need"]
    assert [h.entity_name for h in with_drafts[0].helpers] == ["Sheffield"]


def test_a_request_nobody_can_help_with_is_still_listed():
    (match,) = match_help([_rated("Barnsley", None, needs=("Anything",))], STRONG)
    assert match.helpers == () and match.stage is None


def test_helping_stages_of_the_bundled_frameworks(services):
    syb = services.catalog.framework("syb-place-development-matrix")
    ics = services.catalog.framework("nhs-ics-maturity-matrix")
    assert helping_stages(syb) == ("maturing", "thriving")
    assert [s for s in helping_stages(ics)] == [
        s.key for s in ics.stages if s.name.lower() in ("maturing", "thriving")
    ]


def test_pairing_checks_say_which_field_is_wrong():
    p = Pairing("p1", "a", "a", "gov", "r1")
    with pytest.raises(ValidationFailed, match="same"):
        check_pairing(p)
    with pytest.raises(ValidationFailed, match="Note"):
        check_pairing(Pairing("p1", "a", "b", "gov", "r1", note="x" * 3000))
    assert pairing_status("Agreed") is PairingStatus.AGREED
    with pytest.raises(ValidationFailed, match="Status 'maybe'"):
        pairing_status("maybe")
