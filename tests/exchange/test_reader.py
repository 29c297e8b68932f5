"""Reading exchange files: every kind of bad input is refused with its file, path and problem,
and nothing in the database changes."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from exchange.helpers import logical_dump, new_assessment, open_db, small_framework
from matrix_desktop.exchange.codec import ExchangeError, content_checksum
from matrix_desktop.exchange.reader import parse_document
from matrix_desktop.exchange.schema import json_schema_text
from matrix_desktop.paths import resources_dir


@pytest.fixture(scope="module")
def world(tmp_path_factory):  # type: ignore[no-untyped-def]
    """A source database with one assessment exported, and an empty target database."""
    path = tmp_path_factory.mktemp("reader")
    src = open_db(path / "src.sqlite3")
    a = new_assessment(src, small_framework())
    good = src.exchange.export([a.id], path / "good.mdx.json")
    src.close()
    target = open_db(path / "target.sqlite3")
    yield target, path, json.loads(good.read_bytes())
    target.close()


def _write(path: Path, doc: dict, sign: bool = True) -> Path:  # type: ignore[type-arg]
    doc = json.loads(json.dumps(doc))  # the module's good document stays as it is
    if sign:
        for a in doc.get("assessments", []):
            a.pop("content_hash", None)
        doc["checksum"] = content_checksum(doc)
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _refused(world, path: Path, *fragments: str) -> str:  # type: ignore[no-untyped-def]
    target, dbdir, _ = world
    before = logical_dump(dbdir / "target.sqlite3")
    with pytest.raises(ExchangeError) as info:
        target.exchange.import_paths([path])
    message = str(info.value)
    assert message.startswith(str(path)), message
    for fragment in fragments:
        assert fragment in message, message
    assert logical_dump(dbdir / "target.sqlite3") == before
    return message


def test_good_file_previews(world) -> None:  # type: ignore[no-untyped-def]
    target, path, doc = world
    plan = target.exchange.preview([path / "good.mdx.json"])
    assert [i.outcome.value for i in plan.items] == ["new"]


def test_truncated_json(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    raw = (world[1] / "good.mdx.json").read_bytes()
    f = tmp_path / "cut.mdx.json"
    f.write_bytes(raw[: len(raw) // 2])
    _refused(world, f, "is not valid JSON (truncated or damaged?)")


def test_zip_renamed(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.json", "{}")
    f = tmp_path / "a.mdx.json"
    f.write_bytes(buf.getvalue())
    _refused(world, f, "ZIP archive")


def test_pdf_renamed(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "report.mdx.json"
    f.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    _refused(world, f, "PDF document")


def test_two_gigabyte_file_is_refused_without_reading_it(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "huge.mdx.json"
    with open(f, "wb") as fh:
        fh.truncate(2 * 1024**3)  # sparse: no disk used
    _refused(world, f, "limited to 50 MB")


def test_newer_format_version(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    doc = dict(world[2], format_version=2)
    _refused(
        world, _write(tmp_path / "v2.mdx.json", doc), "format version 2", "Update matrix-desktop"
    )


def test_framework_neither_in_file_nor_database(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    doc = dict(world[2], frameworks=[])
    _refused(
        world,
        _write(tmp_path / "nofw.mdx.json", doc),
        "assessments[0].framework: test-matrix version v1 is neither in the file "
        "nor in this database",
    )


def test_duplicate_ids(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(json.dumps(world[2]))
    doc["assessments"].append(doc["assessments"][0])
    _refused(world, _write(tmp_path / "dup.mdx.json", doc), "assessments[1].id: duplicate id")


def test_stage_the_framework_lacks(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(json.dumps(world[2]))
    doc["assessments"][0]["ratings"][1]["stage"] = "superb"
    _refused(
        world,
        _write(tmp_path / "stage.mdx.json", doc),
        "assessments[0].ratings[1].stage: 'superb' is not a stage of Test Matrix (v1)",
    )


def test_control_characters(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(json.dumps(world[2]))
    doc["assessments"][0]["ratings"][0]["evidence"] = "bell\x07"
    _refused(
        world,
        _write(tmp_path / "ctrl.mdx.json", doc),
        "assessments[0].ratings[0].evidence: contains control character U+0007",
    )


def test_broken_checksum(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(json.dumps(world[2]))
    doc["assessments"][0]["ratings"][0]["evidence"] = "changed by hand"
    _refused(world, _write(tmp_path / "sum.mdx.json", doc, sign=False), "checksum: does not match")


def test_content_hash_must_match(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(json.dumps(world[2]))
    doc["assessments"][0]["title"] = "changed by hand"
    doc["checksum"] = content_checksum(doc)
    _refused(world, _write(tmp_path / "h.mdx.json", doc, sign=False), "assessments[0].content_hash")


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda d: d.update(extra=1), "extra: Extra inputs are not permitted"),
        (lambda d: d["assessments"][0].update(revision="3"), "assessments[0].revision"),
        (lambda d: d["assessments"][0].update(entity_id="not-a-uuid"), "assessments[0].entity_id"),
        (
            lambda d: d["assessments"][0].update(assessed_on="2021-02-30"),
            "assessments[0].assessed_on",
        ),
        (lambda d: d["assessments"][0].update(title="x" * 301), "assessments[0].title"),
        (
            lambda d: d.update(note=[[[[[[[[[[[[[[[[[[[[["deep"]]]]]]]]]]]]]]]]]]]]]),
            "nested too deeply",
        ),
        (
            lambda d: d["assessments"][0]["votes"].append(d["assessments"][0]["votes"][0]),
            "voted twice",
        ),
    ],
)
def test_schema_errors_name_the_path(world, tmp_path: Path, change, fragment: str) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(json.dumps(world[2]))
    change(doc)
    _refused(world, _write(tmp_path / "bad.mdx.json", doc), fragment)


def test_files_without_sync_fields_are_still_read(world) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(json.dumps(world[2]))
    for a in doc["assessments"]:
        del a["content_hash"], a["shared_hashes"]
    doc["checksum"] = content_checksum(doc)
    bundle = parse_document(json.dumps(doc).encode(), "old.json")
    assert len(bundle.records) == 1 and bundle.ancestry[bundle.records[0].assessment.id] == ()


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b"", "is empty"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[1, 2]", "top level must be an object"),
        (b'{"format": "matrix-desktop-exchange", "format": 1}', "appears twice"),
        (b'{"a": NaN}', "NaN is not a number"),
        (b'{"format": "other"}', "not a matrix-desktop exchange file"),
        (b'{"format": "matrix-desktop-exchange", "format_version": true}', "must be 1"),
        (b'{"s": "\\ud800"}', "unpaired surrogate"),
    ],
)
def test_raw_garbage(raw: bytes, fragment: str) -> None:
    with pytest.raises(ExchangeError, match=fragment):
        parse_document(raw, "x.json")


def test_json_schema_file_is_current() -> None:
    path = resources_dir() / "schemas" / "exchange-v1.schema.json"
    assert path.read_text(encoding="utf-8") == json_schema_text(), (
        "regenerate: python -m matrix_desktop.exchange.schema > " + str(path)
    )
