"""Hostile framework and exchange files, generated here and fed through the real command line.

Each is refused with one message naming the file and the place in it, a non-zero exit, and
the database unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exchange.helpers import logical_dump
from matrix_desktop.__main__ import main
from matrix_desktop.paths import examples_dir

ROOT = Path(__file__).resolve().parents[2]
FRAMEWORK = ROOT / "resources" / "frameworks" / "nhs_ics_maturity_matrix_2019.yaml"


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def ready_db(capsys, db_path):
    assert run(capsys, "--database", str(db_path), "frameworks", "list")[0] == 0
    return db_path


def refused(capsys, db_path, *args, place: str) -> str:
    before = logical_dump(db_path)
    code, _, err = run(capsys, "--database", str(db_path), *args)
    assert code == 1, err
    assert "Traceback" not in err
    assert place in err, err
    assert logical_dump(db_path) == before
    return err


def framework_spec() -> dict:
    import yaml

    return yaml.safe_load(FRAMEWORK.read_text(encoding="utf-8"))


def example_text() -> str:
    return (examples_dir() / "barnsley.mdx.json").read_text(encoding="utf-8")


# 1. Integer literals longer than Python's 4,300-digit limit.


def test_huge_integer_in_yaml_framework(capsys, ready_db, tmp_path):
    path = tmp_path / "huge.yaml"
    text = FRAMEWORK.read_text(encoding="utf-8").replace("format: 1", "format: 1" + "0" * 5000)
    path.write_text(text, encoding="utf-8")
    err = refused(capsys, ready_db, "frameworks", "import", str(path), place="line 2")
    assert "huge.yaml" in err and "integer" in err


def test_huge_integer_in_json_framework(capsys, ready_db, tmp_path):
    path = tmp_path / "huge.json"
    text = json.dumps(framework_spec(), indent=1).replace('"format": 1', '"format": 1' + "0" * 5000)
    path.write_text(text, encoding="utf-8")
    err = refused(capsys, ready_db, "frameworks", "import", str(path), place="line 2 column")
    assert "huge.json" in err and "integer" in err


def test_huge_integer_in_exchange_file(capsys, ready_db, tmp_path):
    path = tmp_path / "huge.mdx.json"
    text = example_text()
    assert '"format_version":1' in text
    path.write_text(text.replace('"format_version":1', '"format_version":1' + "9" * 5000))
    err = refused(capsys, ready_db, "import", str(path), place="column")
    assert "huge.mdx.json" in err and "integer" in err


# 2. Nesting 100,000 levels deep.


def test_deep_json_framework(capsys, ready_db, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"notes": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    err = refused(capsys, ready_db, "frameworks", "import", str(path), place="line 1 column")
    assert "deep.json" in err and "nested" in err


def test_deep_yaml_framework(capsys, ready_db, tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("notes: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    err = refused(capsys, ready_db, "frameworks", "import", str(path), place="line 1")
    assert "deep.yaml" in err


def test_deep_exchange_file(capsys, ready_db, tmp_path):
    path = tmp_path / "deep.mdx.json"
    text = example_text()
    path.write_text('{"note": ' + "[" * 100_000 + "]" * 100_000 + ", " + text.lstrip()[1:])
    err = refused(capsys, ready_db, "import", str(path), place="line 1 column")
    assert "deep.mdx.json" in err and "nested" in err


# 3. YAML alias amplification.


def test_billion_laughs_framework(capsys, ready_db, tmp_path):
    lines = ['a0: &a0 ["' + "lol" * 1000 + '"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    path = tmp_path / "laughs.yaml"
    spec = FRAMEWORK.read_text(encoding="utf-8")
    path.write_text("\n".join(lines) + "\n" + spec.replace("notes:", "notes: *a9\nold_notes:"))
    err = refused(capsys, ready_db, "frameworks", "import", str(path), place="line 2")
    assert "laughs.yaml" in err and "alias" in err


# 4. Duplicate keys.


def test_duplicate_key_yaml_framework(capsys, ready_db, tmp_path):
    path = tmp_path / "dupe.yaml"
    text = FRAMEWORK.read_text(encoding="utf-8")
    path.write_text(text.replace("format: 1\n", "format: 1\nname: First\n", 1), encoding="utf-8")
    err = refused(capsys, ready_db, "frameworks", "import", str(path), place="'name'")
    assert "dupe.yaml" in err and "twice" in err and "line " in err


def test_duplicate_key_json_framework(capsys, ready_db, tmp_path):
    path = tmp_path / "dupe.json"
    text = json.dumps(framework_spec())
    path.write_text('{"name": "First", ' + text[1:], encoding="utf-8")
    err = refused(capsys, ready_db, "frameworks", "import", str(path), place="'name'")
    assert "dupe.json" in err and "twice" in err


# 5. NaN and Infinity.


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_json_framework(capsys, ready_db, tmp_path, literal):
    path = tmp_path / "nan.json"
    text = json.dumps(framework_spec(), indent=1).replace('"format": 1', f'"format": {literal}')
    path.write_text(text, encoding="utf-8")
    err = refused(capsys, ready_db, "frameworks", "import", str(path), place="line 2 column")
    assert "nan.json" in err


def test_non_finite_exchange_file(capsys, ready_db, tmp_path):
    path = tmp_path / "nan.mdx.json"
    path.write_text(example_text().replace('"format_version":1', '"format_version":NaN'))
    err = refused(capsys, ready_db, "import", str(path), place="column")
    assert "nan.mdx.json" in err and "NaN" in err


def test_infinite_yaml_framework(capsys, ready_db, tmp_path):
    path = tmp_path / "inf.yaml"
    text = FRAMEWORK.read_text(encoding="utf-8").replace("format: 1", "format: .inf")
    path.write_text(text, encoding="utf-8")
    err = refused(capsys, ready_db, "frameworks", "import", str(path), place="line 2")
    assert "inf.yaml" in err


# 6. Peer reviews whose reviews_id point at each other.


def test_peer_reviews_reviewing_each_other(capsys, ready_db, tmp_path):
    from matrix_desktop.exchange.codec import content_checksum

    doc = json.loads(example_text())
    first, second = (dict(a) for a in doc["assessments"][:2])
    first.update(id="00000000-0000-4000-8000-00000000000a", kind="peer_review")
    second.update(id="00000000-0000-4000-8000-00000000000b", kind="peer_review")
    first["reviews_id"], second["reviews_id"] = second["id"], first["id"]
    for a in (first, second):
        a.pop("content_hash", None)
        a["shared_hashes"] = []
    doc["assessments"] = [first, second]
    doc["checksum"] = content_checksum(doc)
    path = tmp_path / "cycle.mdx.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    err = refused(capsys, ready_db, "import", str(path), place="assessments[0].reviews_id")
    assert "cycle.mdx.json" in err and "peer review" in err


# 7. `check` on a database with a damaged page.


@pytest.mark.parametrize("page", [2, 3, 5, -1])
def test_check_on_a_damaged_page(capsys, ready_db, page):
    assert run(capsys, "--database", str(ready_db), "import", str(examples_dir()))[0] == 0
    data = bytearray(ready_db.read_bytes())
    size = int.from_bytes(data[16:18], "big")
    count = len(data) // size
    at = (page if page > 0 else count - 1) % count * size
    # The whole page: the last page can be an overflow page (e.g. of a stored exchange file),
    # whose bytes past its 4-byte next-page pointer are plain data no check can tell is wrong.
    data[at : at + size] = b"\xa5" * size
    ready_db.write_bytes(bytes(data))
    code, _, err = run(capsys, "--database", str(ready_db), "check")
    assert code == 1, err
    assert "Traceback" not in err
    assert "damaged" in err and str(ready_db) in err, err


# 8. One rule for control characters in every text field.

BAD_CHARACTERS = ["\x07", "\x7f", "\x85", "\u2028", "\u2029", "a\rb"]


@pytest.mark.parametrize("char", BAD_CHARACTERS)
def test_bad_character_in_framework_file(capsys, ready_db, tmp_path, char):
    path = tmp_path / "chars.json"
    spec = framework_spec()
    spec["name"] = "Matrix" + char
    path.write_text(json.dumps(spec), encoding="utf-8")
    err = refused(capsys, ready_db, "frameworks", "import", str(path), place="name: contains")
    assert "chars.json" in err and f"U+{ord(char[-2 if len(char) > 1 else 0]):04X}" in err


@pytest.mark.parametrize("char", BAD_CHARACTERS)
@pytest.mark.parametrize("escaped", [True, False])
def test_bad_character_in_exchange_file(capsys, ready_db, tmp_path, char, escaped):
    from matrix_desktop.exchange.codec import content_checksum

    doc = json.loads(example_text())
    doc["assessments"][0]["areas_to_develop"] = "x" + char
    doc["assessments"][0].pop("content_hash", None)
    doc["checksum"] = content_checksum(doc)
    path = tmp_path / "chars.mdx.json"
    path.write_text(json.dumps(doc, ensure_ascii=escaped), encoding="utf-8")
    err = refused(
        capsys, ready_db, "import", str(path), place="assessments[0].areas_to_develop: contains"
    )
    assert "chars.mdx.json" in err


@pytest.mark.parametrize("char", BAD_CHARACTERS)
def test_bad_character_in_an_edit(char):
    from matrix_desktop.core.errors import ValidationFailed
    from matrix_desktop.core.rules import check_text

    with pytest.raises(ValidationFailed, match="Evidence contains"):
        check_text("Evidence", "x" + char)
    check_text("Evidence", "line one\r\nline two\n\ttabbed")


# 9. Stages out of order; a framework version with the same key and version but other content.


def test_framework_with_other_content_under_same_version(capsys, ready_db, tmp_path):
    from matrix_desktop.exchange.codec import content_checksum

    doc = json.loads(example_text())
    assert doc["frameworks"]
    doc["frameworks"][0]["name"] += " (edited)"
    doc["checksum"] = content_checksum(doc)
    path = tmp_path / "edited.mdx.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    before = logical_dump(ready_db)
    code, out, err = run(capsys, "--database", str(ready_db), "import", "--dry-run", str(path))
    assert code == 0, err
    assert "edited.mdx.json carries different content under the same key and version" in out
    assert logical_dump(ready_db) == before


# 10. An imported copy never moves an assessment; a peer review reviews its own place.

BARNSLEY_A = "62718c42-7d61-563c-80e7-c0e18a9e6d67"
BARNSLEY_B = "b90e3b78-ab98-59db-8940-420d9799a8be"
REVIEW_ID = "00000000-0000-4000-8000-0000000000c1"


@pytest.fixture
def examples_db(capsys, ready_db):
    assert run(capsys, "--database", str(ready_db), "import", str(examples_dir()))[0] == 0
    return ready_db


def _entity_id(name: str) -> str:
    doc = json.loads((examples_dir() / f"{name}.mdx.json").read_text(encoding="utf-8"))
    return doc["entities"][0]["id"]


def _write(tmp_path, doc, name):
    from matrix_desktop.exchange.codec import content_checksum

    for a in doc["assessments"]:
        a.pop("content_hash", None)
    doc["checksum"] = content_checksum(doc)
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("field", "value", "what"),
    [
        ("entity_id", lambda d: _entity_id("bassetlaw"), "entity"),
        ("round_id", lambda d: d["rounds"][1]["id"], "round"),
        ("kind", lambda d: "peer_review", "kind"),
    ],
)
def test_take_theirs_never_moves_an_assessment(capsys, examples_db, tmp_path, field, value, what):
    doc = json.loads(example_text())
    first = doc["assessments"][0]
    assert first["id"] == BARNSLEY_A
    first[field] = value(doc)
    if field == "kind":
        first["reviews_id"] = BARNSLEY_B
    first["facilitator"] = "Someone else"  # changed content too: a take-theirs candidate
    path = _write(tmp_path, doc, "moved.mdx.json")
    for extra in ((), ("--take-theirs",)):
        err = refused(
            capsys, examples_db, "import", *extra, str(path), place=f"assessments[0].{field}"
        )
        assert "moved.mdx.json" in err and "would move" in err and f"from {what}" in err


def _review_of_barnsley(doc, **changes):
    review = dict(doc["assessments"][0])
    review.update(
        id=REVIEW_ID,
        kind="peer_review",
        status="draft",
        reviews_id=BARNSLEY_A,
        reviewer_name="Pat Reviewer",
        shared_hashes=[],
        **changes,
    )
    return review


@pytest.mark.parametrize("into", ["examples", "fresh"])
def test_peer_review_of_another_entity_is_refused(capsys, ready_db, tmp_path, into):
    if into == "examples":
        assert run(capsys, "--database", str(ready_db), "import", str(examples_dir()))[0] == 0
    doc = json.loads(example_text())
    other = json.loads((examples_dir() / "bassetlaw.mdx.json").read_text(encoding="utf-8"))
    doc["entities"] += other["entities"]
    doc["systems"] += [s for s in other["systems"] if s not in doc["systems"]]
    doc["assessments"].append(_review_of_barnsley(doc, entity_id=other["entities"][0]["id"]))
    path = _write(tmp_path, doc, "elsewhere.mdx.json")
    err = refused(capsys, ready_db, "import", str(path), place="assessments[2].entity_id")
    assert "elsewhere.mdx.json" in err and "another entity" in err


def test_peer_review_in_another_round_is_refused(capsys, examples_db, tmp_path):
    doc = json.loads(example_text())
    doc["assessments"] = [_review_of_barnsley(doc, round_id=doc["rounds"][1]["id"])]
    path = _write(tmp_path, doc, "later.mdx.json")
    err = refused(capsys, examples_db, "import", str(path), place="assessments[0].round_id")
    assert "another round" in err


def test_peer_review_of_the_same_place_is_accepted(capsys, examples_db, tmp_path):
    doc = json.loads(example_text())
    doc["assessments"] = [_review_of_barnsley(doc)]
    path = _write(tmp_path, doc, "review.mdx.json")
    code, out, err = run(capsys, "--database", str(examples_db), "import", str(path))
    assert code == 0, err
    assert "1 new" in out


# 11. Every command that reads a database refuses a damaged one; strangers' files are named.


def _damage(db_path: Path, page: int) -> None:
    data = bytearray(db_path.read_bytes())
    size = int.from_bytes(data[16:18], "big")
    count = len(data) // size
    at = (page if page > 0 else count - 1) % count * size
    # The whole page (see above: the last page can be an overflow page of plain data).
    data[at : at + size] = b"\xa5" * size
    db_path.write_bytes(bytes(data))


READING_COMMANDS = [
    ("entities",),
    ("frameworks", "list"),
    ("assessment", "list"),
    ("export", "csv", "-o", "OUT"),
    ("report", "system", "--system", "South Yorkshire and Bassetlaw", "-o", "OUT"),
]


@pytest.mark.parametrize("page", [2, 5, -1])
@pytest.mark.parametrize("command", READING_COMMANDS, ids=lambda c: c[0])
def test_reading_commands_refuse_a_damaged_database(capsys, ready_db, tmp_path, page, command):
    assert run(capsys, "--database", str(ready_db), "import", str(examples_dir()))[0] == 0
    _damage(ready_db, page)
    before = ready_db.read_bytes()
    args = [str(tmp_path / "out.file") if a == "OUT" else a for a in command]
    code, out, err = run(capsys, "--database", str(ready_db), *args)
    assert code == 1, (out, err)
    assert "Traceback" not in err
    assert "damaged" in err and str(ready_db) in err, err
    assert ready_db.read_bytes() == before


def _sqlite_file(path: Path, *statements: str) -> Path:
    import sqlite3

    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version = 7")  # writes the header even with no tables
    for sql in statements:
        con.execute(sql)
    con.commit()
    con.close()
    return path


@pytest.mark.parametrize("command", [("entities",), ("frameworks", "list"), ("check",)])
@pytest.mark.parametrize("kind", ["empty file", "no tables"])
def test_empty_databases_are_not_told_to_upgrade(capsys, tmp_path, command, kind):
    path = tmp_path / "blank.sqlite3"
    if kind == "empty file":
        path.write_bytes(b"")
    else:
        _sqlite_file(path)
    before = path.read_bytes()
    code, _out, err = run(capsys, "--database", str(path), *command)
    assert code == 1, err
    assert "upgrad" not in err and "Traceback" not in err
    assert str(path) in err and "not a matrix-desktop database" in err, err
    assert ("is empty" if kind == "empty file" else "no tables") in err
    assert path.read_bytes() == before


@pytest.mark.parametrize("revision", ["9999", "0001", "ae1027a6acf"])
@pytest.mark.parametrize("command", [("entities",), ("import", "EXAMPLES"), ("check",)])
def test_another_applications_alembic_database_is_not_ours(capsys, tmp_path, revision, command):
    path = _sqlite_file(
        tmp_path / "other.db",
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)",
        f"INSERT INTO alembic_version VALUES ('{revision}')",
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)",
        "INSERT INTO users (name) VALUES ('ann')",
    )
    before = path.read_bytes()
    args = [str(examples_dir()) if a == "EXAMPLES" else a for a in command]
    code, _out, err = run(capsys, "--database", str(path), *args)
    assert code == 1, err
    assert "newer version" not in err and "Traceback" not in err
    assert f"{path}: is not a matrix-desktop database" in err and "users" in err, err
    assert path.read_bytes() == before


# 12. Names beginning or ending with a tab or space can be named on the command line.


def test_names_with_surrounding_whitespace_can_be_named(capsys, ready_db, tmp_path):
    doc = json.loads(example_text())
    doc["entities"][0]["name"] = "\tTabbed Place"
    doc["rounds"][0]["name"] = " Spring round\t"
    path = _write(tmp_path, doc, "spaces.mdx.json")
    assert run(capsys, "--database", str(ready_db), "import", str(path))[0] == 0

    def listed(*args):
        code, out, err = run(capsys, "--database", str(ready_db), "assessment", "list", *args)
        assert code == 0, err
        return out

    # Named exactly as stored (tab and all), and by its trimmed form.
    assert BARNSLEY_A in listed("--entity", "\tTabbed Place")
    assert BARNSLEY_A in listed("--entity", "Tabbed Place")
    out_file = tmp_path / "spring.csv"
    args = ["export", "csv", "--entity", "\tTabbed Place", "--round", " Spring round\t"]
    code, _out, err = run(capsys, "--database", str(ready_db), *args, "-o", str(out_file))
    assert code == 0, err
    args = ["export", "csv", "--entity", "\tTabbed Place", "--round", "spring round"]
    code, _out, err = run(capsys, "--database", str(ready_db), *args, "-o", str(out_file))
    assert code == 0, err  # the trimmed name still finds the round


def test_a_file_naming_one_entity_twice_with_a_tab_is_refused(capsys, ready_db, tmp_path):
    # "\tTabbed Place" and "Tabbed Place" are one name (core.names.name_key): not two places.
    doc = json.loads(example_text())
    plain = dict(doc["entities"][0], name="Tabbed Place")
    doc["entities"][0]["name"] = "\tTabbed Place"
    plain["id"] = "00000000-0000-4000-8000-0000000000e1"
    doc["entities"].append(plain)
    path = _write(tmp_path, doc, "twice.mdx.json")
    before = logical_dump(ready_db)
    code, _out, err = run(capsys, "--database", str(ready_db), "import", str(path))
    assert code != 0 and "Traceback" not in err
    assert "entities[1].name" in err and "share this name" in err, err
    assert logical_dump(ready_db) == before


# 13. Stages out of their published order (the stage list's order is the stages' order).


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
@pytest.mark.parametrize(
    "order", [[3, 2, 1, 0], [1, 0, 2, 3], [0, 1, 3, 2]], ids=lambda o: "".join(map(str, o))
)
def test_framework_stages_out_of_order(capsys, ready_db, tmp_path, suffix, order):
    import yaml

    spec = framework_spec()
    spec["version"] = "reordered"
    spec["stages"] = [spec["stages"][i] for i in order]
    path = tmp_path / f"order{suffix}"
    text = json.dumps(spec) if suffix == ".json" else yaml.safe_dump(spec)  # keys sorted
    path.write_text(text, encoding="utf-8")
    err = refused(capsys, ready_db, "frameworks", "import", str(path), place="stages")
    assert f"order{suffix}" in err and "emerging, developing, maturing, thriving" in err


@pytest.mark.parametrize(
    "keys",
    [["emerging", "developing", "maturing", "thriving"], ["emerging", "thriving"], ["a", "b", "c"]],
)
def test_framework_stages_in_order_are_accepted(capsys, ready_db, tmp_path, keys):
    import yaml

    spec = framework_spec()
    spec["version"] = "own-stages"
    spec["stages"] = [{"key": k, "name": k.title(), "description": None} for k in keys]
    spec["threshold"] = None
    for d in [*spec["domains"], *spec.get("supporting", [])]:
        d["descriptors"] = {k: v for k, v in d["descriptors"].items() if k in keys}
    path = tmp_path / "ordered.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    code, out, err = run(capsys, "--database", str(ready_db), "frameworks", "import", str(path))
    assert code == 0, err
    assert "added" in out


def test_exchange_framework_stages_out_of_order(capsys, ready_db, tmp_path):
    doc = json.loads(example_text())
    fw = doc["frameworks"][0]
    fw["version"] = "reordered"
    fw["stages"] = list(reversed(fw["stages"]))
    for a in doc["assessments"]:
        a["framework"]["version"] = "reordered"
    path = _write(tmp_path, doc, "reordered.mdx.json")
    err = refused(capsys, ready_db, "import", str(path), place="frameworks[0]")
    assert "reordered.mdx.json" in err and "stages" in err and "published order" in err


def test_a_stored_framework_out_of_order_still_opens(capsys, ready_db):
    """A copy stored before the rule existed is the user's data: it still reads."""
    from matrix_desktop.core.framework_file import parse_framework
    from matrix_desktop.services.context import open_services
    from matrix_desktop.storage import frameworks_repo

    spec = framework_spec()
    spec["version"] = "stored-reversed"
    spec["stages"] = list(reversed(spec["stages"]))
    svc = open_services(ready_db)
    try:
        with svc.db.session() as s:
            frameworks_repo.add_framework(s, parse_framework(spec, "old", stored=True))
    finally:
        svc.close()
    code, out, err = run(capsys, "--database", str(ready_db), "frameworks", "list")
    assert code == 0, err
    assert "stored-reversed" in out


def test_take_theirs_cannot_make_reviews_review_each_other(capsys, examples_db, tmp_path):
    """The issue's case: two peer reviews here, a file pointing them at each other."""
    doc = json.loads(example_text())
    first = _review_of_barnsley(doc)
    second = dict(_review_of_barnsley(doc), id="00000000-0000-4000-8000-0000000000c2")
    doc["assessments"] = [first, second]
    path = _write(tmp_path, doc, "reviews.mdx.json")
    assert run(capsys, "--database", str(examples_db), "import", str(path))[0] == 0
    first["reviews_id"], second["reviews_id"] = second["id"], first["id"]
    first["reviewer_name"] = second["reviewer_name"] = "Someone else"
    path = _write(tmp_path, doc, "cycle.mdx.json")
    err = refused(
        capsys, examples_db, "import", "--take-theirs", str(path), place="assessments[0].reviews_id"
    )
    assert "would move" in err and "assessment it reviews" in err
