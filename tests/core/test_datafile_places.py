"""Every refusal of a hostile data file names the file and the place in it (line and column,
and the path where one is known), with one error type for framework and exchange files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from matrix_desktop.core.errors import DataFileError
from matrix_desktop.core.framework_file import read_framework_file
from matrix_desktop.exchange.reader import forget_accepted_files, read_file
from matrix_desktop.paths import examples_dir

ROOT = Path(__file__).resolve().parents[2]
YAML_TEXT = (ROOT / "resources" / "frameworks" / "nhs_ics_maturity_matrix_2019.yaml").read_text(
    encoding="utf-8"
)
EXCHANGE_TEXT = (examples_dir() / "barnsley.mdx.json").read_text(encoding="utf-8")


def _json_text() -> str:
    import yaml

    return json.dumps(yaml.safe_load(YAML_TEXT), indent=1)


def _refusal(path: Path) -> str:
    forget_accepted_files()
    reader = read_file if path.name.endswith(".mdx.json") else read_framework_file
    with pytest.raises(DataFileError) as caught:
        reader(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: "), message
    assert "\n" not in message
    return message


YAML_CASES = {
    "repeated key": (
        lambda t: t.replace("format: 1\n", "format: 1\nname: First\n", 1),
        r"line 6 column 1: the key 'name' appears twice",
    ),
    "NaN": (lambda t: t.replace("format: 1", "format: .nan"), r"line 2 column 9: '.nan' is not"),
    "infinity": (lambda t: t.replace("format: 1", "format: -.inf"), r"line 2 column 9: '-.inf'"),
    "long integer": (
        lambda t: t.replace("format: 1", "format: " + "7" * 200),
        r"line 2 column 9: an integer longer than 100 digits",
    ),
    "deep nesting": (
        lambda t: t.replace("format: 1", "format: 1\nnotes: " + "[" * 70 + "]" * 70),
        r"line 3 column 71: nested more than 64 levels deep",
    ),
}


@pytest.mark.parametrize("case", YAML_CASES)
def test_yaml_framework_refusals_name_line_and_column(tmp_path, case):
    change, expected = YAML_CASES[case]
    path = tmp_path / "hostile.yaml"
    path.write_text(change(YAML_TEXT), encoding="utf-8")
    assert re.search(expected, _refusal(path))


JSON_CASES = {
    "repeated key": (
        lambda t: t.replace('"domains": [\n  {\n', '"domains": [\n  {\n   "title": "T",\n', 1),
        r"line \d+ column 4 \(at domains\[0\]\.title\): the key 'title' appears twice",
    ),
    "repeated top-level key": (
        lambda t: '{"name": "First",' + t[1:],
        r"line \d+ column 2 \(at name\): the key 'name' appears twice",
    ),
    "NaN": (lambda t: t.replace('"format": 1', '"format": NaN'), r"line 2 column 12: NaN is"),
    "infinity": (
        lambda t: t.replace('"format": 1', '"format": -Infinity'),
        r"line 2 column 12: -Infinity is",
    ),
    "huge float": (lambda t: t.replace('"format": 1', '"format": 1e999'), r"line 2 column 12: "),
    "long integer": (
        lambda t: t.replace('"format": 1', '"format": ' + "7" * 200),
        r"line 2 column 12: an integer longer than 100 digits",
    ),
    "deep nesting": (
        lambda t: t.replace('"format": 1', '"format": ' + "[" * 70 + "]" * 70),
        r"line 2 column 75: nested more than 64 levels deep",
    ),
}


@pytest.mark.parametrize("case", JSON_CASES)
def test_json_framework_refusals_name_line_and_column(tmp_path, case):
    change, expected = JSON_CASES[case]
    path = tmp_path / "hostile.json"
    text = change(_json_text())
    assert text != _json_text()
    path.write_text(text, encoding="utf-8")
    assert re.search(expected, _refusal(path))


EXCHANGE_CASES = {
    "repeated key": (
        lambda t: t.replace('"assessments":[{', '"assessments":[{"title":"T",', 1),
        r"line 1 column \d+ \(at assessments\[0\]\.title\): the key 'title' appears twice",
    ),
    "repeated key in a framework": (
        lambda t: t.replace('"frameworks":[{', '"frameworks":[{"key":"k",', 1),
        r"\(at frameworks\[0\]\.key\): the key 'key' appears twice",
    ),
    "NaN": (
        lambda t: t.replace('"format_version":1', '"format_version":NaN'),
        r"line 1 column \d+: NaN is",
    ),
    "long integer": (
        lambda t: t.replace('"format_version":1', '"format_version":' + "1" * 200),
        r"line 1 column \d+: an integer longer",
    ),
    "deep nesting (reader)": (
        lambda t: t.replace('"note":"', '"note":' + "[" * 30 + "]" * 30 + ',"x":"', 1),
        r"line 1 column \d+: is nested too deeply",
    ),
    "deep nesting (decoder)": (
        lambda t: t.replace('"note":"', '"note":' + "[" * 70 + "]" * 70 + ',"x":"', 1),
        r"line 1 column \d+: nested more than 64 levels",
    ),
}


@pytest.mark.parametrize("case", EXCHANGE_CASES)
def test_exchange_refusals_name_line_and_column(tmp_path, case):
    change, expected = EXCHANGE_CASES[case]
    text = change(EXCHANGE_TEXT)
    assert text != EXCHANGE_TEXT
    path = tmp_path / "hostile.mdx.json"
    path.write_text(text, encoding="utf-8")
    assert re.search(expected, _refusal(path))


def test_repeated_key_place_follows_lists_and_objects() -> None:
    from matrix_desktop.core.datafile import Refused, load_json

    text = '{"a": [1, {"x": [{}], "y": 2}, {"b": {"c": 1, "c": 2}}], "d": 3}'
    with pytest.raises(Refused, match=r"line 1 column 47 \(at a\[2\]\.b\.c\)"):
        load_json(text)
    with pytest.raises(Refused, match=r'\(at k\\"\)'):
        load_json('{"k\\\\\\"": 1, "k\\\\\\"": 2}')
