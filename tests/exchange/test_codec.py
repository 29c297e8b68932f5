"""The exchange format: examples valid, round trips byte-identical, bad files refused."""

from __future__ import annotations

import json

import pytest

from matrix_desktop.exchange.codec import ExchangeError
from matrix_desktop.exchange.reader import parse_document, read_file
from matrix_desktop.paths import examples_dir


def test_every_example_file_is_valid_and_says_it_is_illustrative():
    files = sorted(examples_dir().glob("*.json"))
    assert len(files) == 10  # 9 places and collaboratives, and the system-level one
    for path in files:
        bundle = read_file(path)
        assert "ILLUSTRATIVE" in bundle.note
        peer_reviewed = path.name in ("rotherham.mdx.json", "sheffield.mdx.json")
        if path.name == "syb-ics-system-level.mdx.json":  # SYB ICS against the ICS matrix
            assert len(bundle.records) == 1
            assert {len(r.ratings) for r in bundle.records} == {5}
        else:  # two rounds of a place or collaborative, and a peer review for two places
            assert len(bundle.records) == (3 if peer_reviewed else 2)
            assert {len(r.ratings) for r in bundle.records} == {13}


def test_export_import_export_gives_identical_bytes(example_services, tmp_path):
    from matrix_desktop.services.context import open_services

    ids = [a.id for a in example_services.assessments.assessments()]
    first = example_services.exchange.export(
        ids, tmp_path / "a.mdx.json", exported_at="2026-01-01T00:00:00"
    )
    other = open_services(tmp_path / "other.sqlite3")
    try:
        result = other.exchange.import_paths([first])
        assert len(result.changed) == 21  # 18 self-assessments, 2 peer reviews, 1 system
        second = other.exchange.export(
            ids, tmp_path / "b.mdx.json", exported_at="2026-01-01T00:00:00"
        )
    finally:
        other.close()
    assert first.read_bytes() == second.read_bytes()


def test_importing_twice_changes_nothing_the_second_time(example_services):
    result = example_services.exchange.import_paths([examples_dir()])
    assert result.nothing_changed and result.changed == ()


def _doc():
    return json.loads((examples_dir() / "barnsley.mdx.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b'{"format": "matrix-desktop-exchange", "format_vers', "not valid JSON"),
        (b"PK\x03\x04rest-of-zip", "ZIP archive"),
        (b"%PDF-1.7 ...", "PDF document"),
        (b"[1, 2, 3]", "top level must be an object"),
    ],
)
def test_malformed_files_are_refused_clearly(raw, expected):
    with pytest.raises(ExchangeError, match=expected):
        parse_document(raw, "x.json")


def test_broken_checksum_is_refused():
    doc = _doc()
    doc["assessments"][0]["ratings"][0]["evidence"] = "tampered"
    with pytest.raises(ExchangeError, match="checksum"):
        parse_document(json.dumps(doc).encode(), "x.json")


def test_newer_format_version_is_refused():
    doc = _doc()
    doc["format_version"] = 2
    with pytest.raises(ExchangeError, match="version 2"):
        parse_document(json.dumps(doc).encode(), "x.json")


def test_unknown_key_is_refused_with_its_path():
    doc = _doc()
    doc["assessments"][1]["ratings"][4]["mood"] = "sunny"
    with pytest.raises(ExchangeError, match=r"assessments\[1\]\.ratings\[4\]\.mood"):
        parse_document(json.dumps(doc).encode(), "x.json")


def test_stage_the_framework_lacks_is_refused_with_its_path(services, tmp_path):
    from matrix_desktop.exchange.codec import content_checksum

    doc = _doc()
    doc["assessments"][0]["ratings"][5]["stage"] = "golden"
    doc["checksum"] = content_checksum(doc)
    path = tmp_path / "bad.mdx.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ExchangeError, match=r"assessments\[0\]\.ratings\[5\]\.stage"):
        services.exchange.preview([path])
    assert services.assessments.assessments() == []
