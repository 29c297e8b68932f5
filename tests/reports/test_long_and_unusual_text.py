"""Any framework and assessment the validators accept produces every report, PDF and DOCX."""

from __future__ import annotations

import yaml
from docx import Document
from report_fixtures import SYSTEM, pdftotext, squash

from matrix_desktop.core.model import Action, Rating, ThemeItem
from matrix_desktop.reports.models import DocumentOptions
from matrix_desktop.storage import repository as repo

STATEMENT = ("A statement that goes on. " * 200)[:4985] + " STATEMENT-END"  # 5,000 characters
UNUSUAL = "CJK 漢字テスト 한국어 and emoji 🎉🚀 and Hebrew שלום"


def _framework_file(tmp_path):  # type: ignore[no-untyped-def]
    stages = ["emerging", "developing", "maturing", "thriving"]
    doc = {
        "format": 1,
        "key": "long-matrix",
        "version": "1",
        "name": "Long matrix " + UNUSUAL,
        "publisher": "Test publisher",
        "published": "2024-01-01",
        "source": "tests",
        "description": STATEMENT,
        "threshold": None,
        "applies_to": ["place_partnership", "provider_collaborative"],
        "notes": [STATEMENT],
        "stages": [{"key": k, "name": k.capitalize(), "description": None} for k in stages],
        "domains": [
            {
                "key": f"d{n}",
                "number": n,
                "title": ("Domain with a long title " * 12)[:300] if n == 1 else f"Domain {n}",
                "summary": STATEMENT,
                "applies_to": None,
                "descriptors": {k: [STATEMENT] * 6 for k in stages},
            }
            for n in (1, 2)
        ],
        "supporting": [],
    }
    path = tmp_path / "long.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def test_every_report_lays_out_long_and_unusual_text(services, reports, tmp_path):
    fw, _ = services.catalog.import_framework_file(str(_framework_file(tmp_path)))
    entity = services.catalog.find_entity("Barnsley")
    a = services.assessments.create(entity.id, fw, "2040 Q1", facilitator="Fay " + UNUSUAL)
    evidence = (" ".join(f"word{i}" for i in range(14_000)) + " " + UNUSUAL)[:99_900]
    evidence += " EVIDENCE-END"
    with services.db.session() as s:
        store = repo.SqlAssessmentStore(s)
        for n, d in enumerate(fw.domains):
            store.put_rating(
                Rating(
                    a.id,
                    d.key,
                    stage="developing",
                    evidence=evidence if n == 0 else UNUSUAL,
                    rationale=STATEMENT,
                    statements_met=tuple(x.id for x in d.statements),
                    enablers=(ThemeItem(STATEMENT + " ENABLER-END", ("data",)),),
                    support_requests=(ThemeItem(UNUSUAL, ()),),
                    actions=(Action(f"act{n}", STATEMENT + " ACTION-END", UNUSUAL, None),),
                )
            )
    services.assessments.execute(services.assessments.finalise(a.id))
    fast = DocumentOptions(include_charts=False)
    peer = reports.write_peer_review(entity.name, "2040 Q1", tmp_path / "p.pdf", fast)
    text = squash(pdftotext(peer))
    # long cells split across pages rather than being cut: every end marker is printed
    for marker in ("EVIDENCE-END", "STATEMENT-END", "ACTION-END", "ENABLER-END"):
        assert marker in text, marker
    # characters DejaVu Sans lacks: a system font that has them, else a note naming them
    from matrix_desktop.reports.fonts import font_for
    from matrix_desktop.reports.layout import FONT, register_fonts

    register_fonts()
    for char in "漢🎉":
        if font_for(char, FONT) is not None:
            assert char in text, char
        else:
            assert f"U+{ord(char):04X}" in text and "could not print" in text
    assert "\u25a1" not in text  # no empty boxes
    fallback = font_for("漢", FONT)
    if fallback is not None:  # the running footer (the framework's name) uses it too
        import subprocess

        fonts = subprocess.run(
            ["pdffonts", "-f", "2", "-l", "2", str(peer)], capture_output=True, text=True
        ).stdout
        names = [line.split()[0] for line in fonts.splitlines()[2:]]
        assert any("DejaVu" not in n for n in names)  # a second font on the page
        assert "漢字" in pdftotext(peer, 2, 2)
    docx = reports.write_peer_review(entity.name, "2040 Q1", tmp_path / "p.docx", fast)
    word = Document(str(docx))
    body = "\n".join(
        [p.text for p in word.paragraphs]
        + [c.text for t in word.tables for r in t.rows for c in r.cells]
    )
    assert "EVIDENCE-END" in body and "ACTION-END" in body and "🎉" in body
    reports.write_worksheets(fw.key, tmp_path / "w.pdf", options=fast)
    assert "STATEMENT-END" in pdftotext(tmp_path / "w.pdf")
    system = reports.write_system_summary(SYSTEM, "2040 Q1", tmp_path / "s.pdf", fast)
    assert pdftotext(system)
    reports.write_system_summary(SYSTEM, "2040 Q1", tmp_path / "s.docx", fast)
