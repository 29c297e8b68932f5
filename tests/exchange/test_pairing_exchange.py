"""Pairings in exchange files: they keep their identity between laptops; one never seen here
arrives as new and never overwrites another; a newer status travels back."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from matrix_desktop.core.help_match import PairingStatus
from matrix_desktop.exchange.codec import ExchangeError
from matrix_desktop.services.context import open_services

ROUND = "2021/22 Q2"


@pytest.fixture
def two_laptops(examples_template, tmp_path):
    """Two copies of the example database: the office's and a facilitator's."""
    out = []
    for name in ("office", "laptop"):
        target = tmp_path / f"{name}.sqlite3"
        for suffix in ("", "-wal"):
            source = Path(f"{examples_template}{suffix}")
            if source.exists():
                shutil.copyfile(source, f"{target}{suffix}")
        out.append(open_services(target, user=name))
    yield out
    for svc in out:
        svc.close()


def _record(svc, offering="Sheffield", receiving="Barnsley", note="Governance coaching"):
    rnd = svc.catalog.find_round(ROUND)
    edit = svc.help_match.record(
        svc.catalog.find_entity(offering),
        svc.catalog.find_entity(receiving),
        "governance",
        rnd.id,
        note,
    )
    svc.assessments.execute(edit)
    return svc.help_match.get(edit.target.item_id)


def _export_entity(svc, name, path):
    e = svc.catalog.find_entity(name)
    ids = [a.id for a in svc.assessments.assessments(e.id)]
    return svc.exchange.export(ids, path)


def test_round_trip_keeps_the_pairing_and_its_identity(two_laptops, tmp_path):
    office, laptop = two_laptops
    pairing = _record(office)
    # Exporting Barnsley's assessments carries the pairing, and Sheffield with it.
    path = _export_entity(office, "Barnsley", tmp_path / "barnsley.mdx.json")
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    (written,) = doc["pairings"]
    assert written["id"] == pairing.id and written["status"] == "offered"
    assert written["note"] == "Governance coaching"
    assert {e["id"] for e in doc["entities"]} >= {
        pairing.offering_entity_id,
        pairing.receiving_entity_id,
    }

    plan = laptop.exchange.preview([path])
    (planned,) = plan.pairings
    assert planned.outcome.value == "new" and plan.has_changes
    assert any(line.startswith("pairing ") and "new" in line for line in plan.lines())
    laptop.exchange.apply(plan)
    arrived = laptop.help_match.get(pairing.id)
    assert arrived == pairing  # same id, same fields, same times
    assert any(
        e.action == "pairing" and f"pairing {pairing.id} new from barnsley.mdx.json" in e.detail
        for e in laptop.assessments.audit()
    )
    # The same file again changes nothing.
    assert not laptop.exchange.preview([path]).has_changes

    # The laptop agrees it; the office imports the laptop's file: the newer status wins.
    laptop.assessments.execute(laptop.help_match.set_status(arrived, "agreed"))
    back = _export_entity(laptop, "Sheffield", tmp_path / "sheffield.mdx.json")
    plan = office.exchange.preview([back])
    assert [p.outcome.value for p in plan.pairings] == ["updated"]
    office.exchange.apply(plan)
    assert office.help_match.get(pairing.id).status is PairingStatus.AGREED
    assert len(office.help_match.pairings()) == 1


def test_a_pairing_this_database_never_saw_arrives_as_new_never_overwriting(two_laptops, tmp_path):
    office, laptop = two_laptops
    here = _record(office, "Rotherham", "Doncaster", "Ours")
    theirs = _record(laptop, "Sheffield", "Barnsley", "Theirs")
    path = _export_entity(laptop, "Barnsley", tmp_path / "b.mdx.json")
    office.exchange.apply(office.exchange.preview([path]))
    got = {line.pairing.id: line.pairing for line in office.help_match.pairings()}
    assert set(got) == {here.id, theirs.id}
    assert got[here.id] == here  # untouched
    assert got[theirs.id].note == "Theirs"


def test_an_older_change_in_the_file_does_not_overwrite_a_newer_one_here(two_laptops, tmp_path):
    office, laptop = two_laptops
    pairing = _record(office)
    path = _export_entity(office, "Barnsley", tmp_path / "b.mdx.json")
    laptop.exchange.apply(laptop.exchange.preview([path]))
    office.assessments.execute(office.help_match.set_status(pairing, "done"))
    plan = office.exchange.preview([path])  # the file still says offered
    (planned,) = plan.pairings
    assert planned.outcome.value == "kept" and "newer" in planned.reason
    office.exchange.apply(plan)
    assert office.help_match.get(pairing.id).status is PairingStatus.DONE


def test_a_pairing_naming_an_entity_not_in_the_file_is_refused(two_laptops, tmp_path):
    office, _laptop = two_laptops
    _record(office)
    path = _export_entity(office, "Barnsley", tmp_path / "b.mdx.json")
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    doc["pairings"][0]["offering_entity_id"] = "00000000-0000-4000-8000-000000000000"
    from matrix_desktop.exchange.codec import content_checksum, dumps_document

    doc["checksum"] = content_checksum(doc)
    bad = tmp_path / "bad.mdx.json"
    bad.write_bytes(dumps_document(doc))
    with pytest.raises(ExchangeError, match=r"pairings\[0\]\.offering_entity_id"):
        office.exchange.preview([bad])
