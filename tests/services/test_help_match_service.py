"""Help matched to need on the example data; pairings recorded, undone and audited."""

from __future__ import annotations

import pytest

from matrix_desktop.core.errors import EditConflict, ValidationFailed
from matrix_desktop.core.help_match import PairingStatus


@pytest.fixture
def syb_system(examples_copy):
    return examples_copy.catalog.find_system("SYB ICS")


def _entity(services, name):
    return services.catalog.find_entity(name)


def test_requests_for_support_matched_with_strong_entities_in_the_same_round(
    examples_copy, syb_system
):
    svc = examples_copy
    q2 = svc.catalog.find_round("2021/22 Q2")
    matches = svc.help_match.matches(syb_system.id, q2.id)
    assert matches.requests, "the example data has requests for support"
    barnsley = _entity(svc, "Barnsley")
    governance = [m for m in matches.for_entity(barnsley.id) if m.domain_key == "governance"]
    assert governance
    # Independently: who rated governance Maturing or Thriving in that round (final SAs)
    strong = set()
    for e in svc.catalog.entities(syb_system.id):
        for a in svc.assessments.assessments(e.id, q2.id):
            if a.is_final and not a.is_peer_review:
                r = svc.assessments.record(a.id).rating("governance")
                if r.stage in ("maturing", "thriving") and e.id != barnsley.id:
                    strong.add(e.name)
    assert strong
    for m in governance:
        assert {h.entity_name for h in m.helpers} == strong
        assert m.round_id == q2.id
    text = matches.helper_text(governance[0].framework_key, governance[0].helpers[0])
    assert "(Maturing)" in text or "(Thriving)" in text


def test_record_a_pairing_audited_and_undone(examples_copy, syb_system):
    svc = examples_copy
    q2 = svc.catalog.find_round("2021/22 Q2")
    sheffield, barnsley = _entity(svc, "Sheffield"), _entity(svc, "Barnsley")
    edit = svc.help_match.record(
        sheffield, barnsley, "governance", q2.id, "Sheffield offered help to Barnsley on governance"
    )
    change = svc.assessments.execute(edit)
    assert change.pairing is not None and "pairing" in change.parts
    (line,) = svc.help_match.pairings(system_id=syb_system.id)
    assert line.sentence.startswith(f"{sheffield.name} offered help to {barnsley.name} on ")
    assert line.pairing.status is PairingStatus.OFFERED and line.round_name == "2021/22 Q2"
    assert line.pairing.created_by == "tester"
    # both entities see it
    assert svc.help_match.pairings(entity_id=barnsley.id)[0].pairing.id == line.pairing.id
    assert svc.help_match.pairings(entity_id=sheffield.id)[0].pairing.id == line.pairing.id
    audit = svc.assessments.audit()
    assert audit[0].action == "pairing" and "recorded" in audit[0].detail
    assert sheffield.name in audit[0].detail and audit[0].user == "tester"

    status = svc.help_match.set_status(line.pairing, "agreed")
    svc.assessments.execute(status)
    assert svc.help_match.get(line.pairing.id).status is PairingStatus.AGREED
    assert "status: offered -> agreed" in svc.assessments.audit()[0].detail
    svc.assessments.revert(status)
    assert svc.help_match.get(line.pairing.id).status is PairingStatus.OFFERED
    svc.assessments.revert(edit)
    assert svc.help_match.pairings() == []
    assert svc.assessments.audit()[0].action == "undo pairing"
    svc.assessments.execute(edit)  # redo
    assert svc.help_match.pairings()[0].pairing.id == line.pairing.id


def test_status_change_checked_against_the_values_seen(examples_copy):
    svc = examples_copy
    q2 = svc.catalog.find_round("2021/22 Q2")
    edit = svc.help_match.record(
        _entity(svc, "Sheffield"), _entity(svc, "Barnsley"), "governance", q2.id
    )
    svc.assessments.execute(edit)
    (line,) = svc.help_match.pairings()
    svc.assessments.execute(svc.help_match.set_status(line.pairing, "done"))
    stale = svc.help_match.set_status(line.pairing, "withdrawn")  # from 'offered', not 'done'
    with pytest.raises(EditConflict):
        svc.assessments.execute(stale)
    assert svc.help_match.get(line.pairing.id).status is PairingStatus.DONE


def test_refusals_change_nothing(examples_copy):
    svc = examples_copy
    q2 = svc.catalog.find_round("2021/22 Q2")
    sheffield = _entity(svc, "Sheffield")
    before = len(svc.assessments.audit())
    with pytest.raises(ValidationFailed, match="both"):
        svc.help_match.record(sheffield, sheffield, "governance", q2.id)
    with pytest.raises(ValidationFailed, match="Domain 'nonsense'"):
        svc.help_match.find_domain("nonsense", [sheffield], q2.id)
    bad = svc.help_match.record(sheffield, _entity(svc, "Barnsley"), "nonsense", q2.id)
    with pytest.raises(ValidationFailed, match="Domain 'nonsense'"):
        svc.assessments.execute(bad)
    assert svc.help_match.pairings() == [] and len(svc.assessments.audit()) == before
