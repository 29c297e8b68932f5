"""Checks the bundled framework data files against the reconstructed reference matrices.

The reference matrices are checked in under tests/fixtures/reference/ (copies of
../shared/reference/ at the time of writing), so this runs from a clean clone.
Only PyYAML is used: no application code is imported.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
BUNDLED_DIR = REPO / "resources" / "frameworks"
REFERENCE_DIR = Path(__file__).resolve().parent / "fixtures" / "reference"

STAGE_KEYS = ["emerging", "developing", "maturing", "thriving"]
STAGE_MAP = {
    "Emerging": "emerging",
    "Developing": "developing",
    "Maturing": "maturing",
    "Maturing ICS": "maturing",
    "Thriving": "thriving",
    "Thriving ICS": "thriving",
}

ICS = {
    "bundled": "nhs_ics_maturity_matrix_2019.yaml",
    "reference": "ics_maturity_matrix_2019.yaml",
    "key": "nhs-ics-maturity-matrix",
    "domains": [
        "system_leadership",
        "system_architecture",
        "integrated_care_models",
        "track_record_of_delivery",
        "coherent_and_defined_population",
    ],
}
SYB = {
    "bundled": "syb_place_development_matrix_v1_4.yaml",
    "reference": "syb_place_development_matrix_v1_4.yaml",
    "key": "syb-place-development-matrix",
    "domains": [
        "purpose_and_vision",
        "leadership",
        "governance",
        "coordinated_decision_making_and_service_design",
        "financial_framework",
        "workforce_and_culture",
        "values_and_behaviours",
        "integration_of_services",
        "reporting_quality_and_outcomes",
        "population_health_management",
        "bi_and_digital_infrastructure",
        "defined_population",
        "public_and_patient_engagement",
    ],
}
FRAMEWORKS = {"ics": ICS, "syb": SYB}
ALLOWED_KINDS = {"integrated_care_system", "place_partnership", "provider_collaborative"}


def _load(path: Path):
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(params=sorted(FRAMEWORKS), ids=sorted(FRAMEWORKS))
def pair(request):
    spec = FRAMEWORKS[request.param]
    bundled_path = BUNDLED_DIR / spec["bundled"]
    reference_path = REFERENCE_DIR / spec["reference"]
    assert bundled_path.is_file(), f"missing bundled framework {bundled_path}"
    assert reference_path.is_file(), f"missing reference fixture {reference_path}"
    return spec, _load(bundled_path), _load(reference_path), bundled_path


def _reference_statements(rows):
    """{(row_key, stage_key): [text, ...]} from a reference domains/progression list."""
    out = {}
    for row in rows:
        for stage_name, items in row["descriptors"].items():
            stage_key = STAGE_MAP[stage_name]
            out.setdefault((row["key"], stage_key), []).extend(
                item["text"].strip() for item in items
            )
    return out


def _bundled_statements(rows):
    out = {}
    for row in rows:
        for stage_key, texts in row["descriptors"].items():
            out.setdefault((row["key"], stage_key), []).extend(texts)
    return out


def test_reference_fixtures_are_the_expected_matrices():
    # Guards against an empty or swapped fixture making the other tests vacuous.
    ics = _load(REFERENCE_DIR / ICS["reference"])
    syb = _load(REFERENCE_DIR / SYB["reference"])
    assert [d["key"] for d in ics["domains"]] == ICS["domains"]
    assert [d["key"] for d in syb["domains"]] == SYB["domains"]
    assert sum(len(v) for v in _reference_statements(ics["domains"]).values()) == 79
    assert sum(len(v) for v in _reference_statements(ics["system_progression"]).values()) == 37
    assert sum(len(v) for v in _reference_statements(syb["domains"]).values()) == 129


def test_top_level_keys(pair):
    spec, bundled, _, _ = pair
    assert bundled["format"] == 1
    assert bundled["key"] == spec["key"]
    for field in ("version", "name", "publisher", "published", "source"):
        assert isinstance(bundled[field], str) and bundled[field].strip(), field
    assert set(bundled["applies_to"]) <= ALLOWED_KINDS
    assert isinstance(bundled["notes"], list)
    assert all(isinstance(n, str) for n in bundled["notes"])


def test_stage_keys_in_order(pair):
    _, bundled, _, _ = pair
    assert [s["key"] for s in bundled["stages"]] == STAGE_KEYS
    assert [s["name"] for s in bundled["stages"]] == [
        "Emerging",
        "Developing",
        "Maturing",
        "Thriving",
    ]


def test_domains_match_reference_by_key_title_and_order(pair):
    spec, bundled, reference, _ = pair
    got = [(d["key"], d["title"]) for d in bundled["domains"]]
    want = [(d["key"], d["title"]) for d in reference["domains"]]
    assert got == want
    assert [k for k, _ in got] == spec["domains"]
    assert [d["number"] for d in bundled["domains"]] == list(range(1, len(got) + 1))


def test_domain_counts():
    ics = _load(BUNDLED_DIR / ICS["bundled"])
    syb = _load(BUNDLED_DIR / SYB["bundled"])
    assert len(ics["domains"]) == 5
    assert len(syb["domains"]) == 13


def test_every_domain_has_all_stage_keys_in_order(pair):
    _, bundled, _, _ = pair
    for row in bundled["domains"] + bundled["supporting"]:
        assert list(row["descriptors"]) == STAGE_KEYS, row["key"]
        for texts in row["descriptors"].values():
            assert isinstance(texts, list)
            assert all(isinstance(t, str) and t == t.strip() and t for t in texts)


def test_domain_applies_to_is_subset_of_framework(pair):
    _, bundled, _, _ = pair
    kinds = set(bundled["applies_to"])
    for domain in bundled["domains"]:
        if domain["applies_to"] is not None:
            assert domain["applies_to"], domain["key"]
            assert set(domain["applies_to"]) <= kinds, domain["key"]


def test_every_reference_statement_is_under_same_domain_and_stage(pair):
    _, bundled, reference, _ = pair
    want = _reference_statements(reference["domains"])
    got = _bundled_statements(bundled["domains"])
    missing = [
        (domain, stage, text)
        for (domain, stage), texts in want.items()
        for text in texts
        if text not in got.get((domain, stage), [])
    ]
    assert not missing, missing


def test_no_statement_beyond_the_reference(pair):
    _, bundled, reference, _ = pair
    want = _reference_statements(reference["domains"])
    got = _bundled_statements(bundled["domains"])
    extra = [
        (domain, stage, text)
        for (domain, stage), texts in got.items()
        for text in texts
        if text not in want.get((domain, stage), [])
    ]
    assert not extra, extra


def test_supporting_rows(pair):
    spec, bundled, reference, _ = pair
    if spec is SYB:
        assert bundled["supporting"] == []
        return
    rows = reference["system_progression"]
    assert [s["key"] for s in bundled["supporting"]] == [r["key"] for r in rows]
    assert [s["key"] for s in bundled["supporting"]] == [
        "oversight",
        "finance",
        "planning",
        "support",
    ]
    want = _reference_statements(rows)
    got = _bundled_statements(bundled["supporting"])
    assert {k: sorted(v) for k, v in got.items() if v} == {k: sorted(v) for k, v in want.items()}


def test_statements_unique_within_domain_and_stage(pair):
    _, bundled, _, _ = pair
    for row in bundled["domains"] + bundled["supporting"]:
        for stage, texts in row["descriptors"].items():
            dupes = sorted({t for t in texts if texts.count(t) > 1})
            assert not dupes, (row["key"], stage, dupes)


def test_threshold():
    ics = _load(BUNDLED_DIR / ICS["bundled"])
    syb = _load(BUNDLED_DIR / SYB["bundled"])
    assert ics["threshold"]["stage"] == "maturing"
    assert ics["threshold"]["label"]
    assert syb["threshold"] is None


def test_applies_to():
    ics = _load(BUNDLED_DIR / ICS["bundled"])
    syb = _load(BUNDLED_DIR / SYB["bundled"])
    assert ics["applies_to"] == ["integrated_care_system"]
    assert syb["applies_to"] == ["place_partnership", "provider_collaborative"]


def test_syb_publishes_no_maturing_descriptors():
    syb = _load(BUNDLED_DIR / SYB["bundled"])
    for domain in syb["domains"]:
        assert domain["descriptors"]["maturing"] == [], domain["key"]


def test_ics_maturing_descriptors_are_published():
    ics = _load(BUNDLED_DIR / ICS["bundled"])
    for domain in ics["domains"]:
        assert domain["descriptors"]["maturing"], domain["key"]


@pytest.mark.parametrize("name", [ICS["bundled"], SYB["bundled"]])
def test_no_file_mentions_uncertain(name):
    text = (BUNDLED_DIR / name).read_text(encoding="utf-8")
    assert "uncertain" not in text.lower()
