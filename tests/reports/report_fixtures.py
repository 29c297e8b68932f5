"""Shared report-test fixtures (examples plus one peer review) and poppler/qpdf checks."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from matrix_desktop.core.model import (
    Assessment,
    AssessmentKind,
    AssessmentRecord,
    Rating,
    ReviewPosition,
    Status,
)
from matrix_desktop.paths import examples_dir
from matrix_desktop.services.context import Services, open_services
from matrix_desktop.services.reports import ReportService
from matrix_desktop.storage import repository as repo

ENTITY = "Barnsley Place Partnership"
ROUND = "2021/22 Q2"
SYSTEM = "South Yorkshire and Bassetlaw Integrated Care System"
INJECTIONS = (
    "a<b",
    "AT&T",
    '<img src="/etc/passwd"/>',
    '<a href="javascript:alert(1)">click me</a>',
)
EVIDENCE = "Evidence line one: the board met monthly.\nLine two: " + " ".join(INJECTIONS)


def add_peer_review(svc: Services, entity: str = ENTITY, round_name: str = ROUND) -> str:
    """Store a final peer review of the entity's self-assessment; return its id (test helper)."""
    reports = ReportService(svc)
    e = svc.catalog.find_entity(entity)
    own = reports.self_assessment(e, svc.catalog.find_round(round_name))
    record = svc.assessments.record(own.id)
    fw = svc.assessments.framework_of(own)
    peer = Assessment(
        id="peer-" + own.id[:8],
        entity_id=e.id,
        framework_key=own.framework_key,
        framework_version=own.framework_version,
        round_id=own.round_id,
        kind=AssessmentKind.PEER_REVIEW,
        status=Status.FINAL,
        reviews_id=own.id,
        reviewer_name="Dr Peer Reviewer",
        reviewer_organisation="Rotherham Place",
        strengths="Strong relationships & shared purpose.",
        areas_to_develop="Data sharing <across> partners.",
        recommendations='=HYPERLINK("http://example.invalid") is not a formula here.',
    )
    ratings = []
    for i, d in enumerate(fw.domains_for(e.kind)):
        mine = record.rating(d.key)
        stage = mine.stage
        if i % 3 == 0 and stage:  # challenge every third domain one stage down
            pos = max(fw.stage(stage).position - 1, 1)
            stage = fw.stage_at(pos).key
        ratings.append(
            Rating(
                peer.id,
                d.key,
                stage=stage,
                review_position=(
                    ReviewPosition.AGREE if stage == mine.stage else ReviewPosition.CHALLENGE
                ),
                review_comment=f"Peer comment on {d.title}.",
            )
        )
    with svc.db.session() as s:
        store = repo.SqlAssessmentStore(s)
        store.put_record(AssessmentRecord(peer, tuple(ratings)))
        # The self-assessment's first domain carries the injection strings as evidence.
        first = record.rating(fw.domains_for(e.kind)[0].key)
        store.put_rating(first.evolve(evidence=EVIDENCE))
    return peer.id


@pytest.fixture(scope="session")
def example_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file with the example assessments and one peer review, built once."""
    path = tmp_path_factory.mktemp("template") / "examples.sqlite3"
    svc = open_services(path)
    try:
        svc.exchange.import_paths([examples_dir()])
        add_peer_review(svc)
    finally:
        svc.close()
    return path


@pytest.fixture
def services(example_db: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Fresh services over a private copy of the example database."""
    copy = tmp_path / "db.sqlite3"
    shutil.copy(example_db, copy)
    svc = open_services(copy)
    yield svc
    svc.close()


@pytest.fixture
def reports(services: Services) -> ReportService:
    return ReportService(services)


def pdftotext(path: Path, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-layout"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return subprocess.run(
        args + [str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def page_count(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    return int(next(x for x in out.stdout.splitlines() if x.startswith("Pages:")).split()[1])


def pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    return {k.strip(): v.strip() for k, _, v in (x.partition(":") for x in out.stdout.splitlines())}


def assert_fonts_embedded(path: Path) -> None:
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True)
    rows = out.stdout.splitlines()[2:]
    assert rows, "no fonts listed"
    for row in rows:
        assert row.split()[-5] == "yes", f"font not embedded: {row}"


def assert_qpdf_ok(path: Path) -> None:
    subprocess.run(["qpdf", "--check", str(path)], check=True, capture_output=True)


def uncompressed(path: Path, tmp_path: Path) -> bytes:
    out = tmp_path / "qdf.pdf"
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(path), str(out)], check=True)
    return out.read_bytes()


def squash(text: str) -> str:
    return " ".join(text.split())
