"""The framework file format: bundled files load; malformed files say what is wrong and where."""

from __future__ import annotations

from copy import deepcopy

import pytest
import yaml

from matrix_desktop.core.errors import FrameworkFileError
from matrix_desktop.core.framework import EntityKind
from matrix_desktop.core.framework_file import (
    parse_framework,
    read_framework_file,
    spec_from_framework,
)
from matrix_desktop.paths import frameworks_dir

ICS = frameworks_dir() / "nhs_ics_maturity_matrix_2019.yaml"
SYB = frameworks_dir() / "syb_place_development_matrix_v1_4.yaml"


def test_ics_matrix_loads_with_threshold_maturing():
    fw = read_framework_file(ICS)
    assert [s.name for s in fw.stages] == ["Emerging", "Developing", "Maturing", "Thriving"]
    assert fw.threshold_stage == "maturing" and fw.threshold_position == 3
    assert len(fw.domains) == 5
    assert fw.applies_to == (EntityKind.INTEGRATED_CARE_SYSTEM,)
    assert fw.supporting, "system progression rows are kept as supporting text"


def test_syb_matrix_has_thirteen_areas_and_no_maturing_descriptors():
    fw = read_framework_file(SYB)
    assert len(fw.domains) == 13
    assert fw.threshold_stage is None
    assert all(not d.statements_for("maturing") for d in fw.domains)
    assert all(d.statements_for("emerging") and d.statements_for("thriving") for d in fw.domains)
    assert fw.has_stage("maturing")


def test_statement_ids_are_unique_and_stable():
    fw = read_framework_file(SYB)
    ids = [s.id for d in fw.domains for s in d.statements]
    assert len(ids) == len(set(ids))
    first = fw.domains[0].statements[0]
    assert first.id == f"{fw.domains[0].key}.emerging.1"


def test_round_trip_through_plain_data():
    fw = read_framework_file(SYB)
    assert parse_framework(spec_from_framework(fw)) == fw


def _spec():
    return yaml.safe_load(SYB.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d.update(colour="red"), "colour"),
        (lambda d: d.update(format=9), "format 9 is not supported"),
        (lambda d: d["domains"][2].update(descriptors={"sparkling": ["x"]}), "unknown stage"),
        (lambda d: d.update(threshold={"stage": "golden"}), "threshold stage 'golden'"),
        (
            lambda d: d["domains"].append(deepcopy(d["domains"][0])),
            "repeated: purpose_and_vision",
        ),
        (lambda d: d.update(published="8 April 2021"), "YYYY-MM-DD"),
    ],
)
def test_malformed_framework_names_the_problem(tmp_path, mutate, expected):
    data = _spec()
    mutate(data)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(FrameworkFileError) as info:
        read_framework_file(path)
    assert str(path) in str(info.value)
    assert expected in str(info.value)


def test_broken_yaml_gives_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("format: 1\nkey: [unclosed\n", encoding="utf-8")
    with pytest.raises(FrameworkFileError, match=r"broken.yaml: line \d+"):
        read_framework_file(path)
