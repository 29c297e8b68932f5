"""The difference between two framework versions: added, removed, reworded, moved."""

from __future__ import annotations

import dataclasses

from matrix_desktop.core.framework import Domain, Statement
from matrix_desktop.core.framework_diff import diff_frameworks, word_changes
from matrix_desktop.core.framework_file import read_framework_file
from matrix_desktop.paths import frameworks_dir

SYB = frameworks_dir() / "syb_place_development_matrix_v1_4.yaml"


def _with_statements(domain: Domain, texts: list[tuple[str, str]]) -> Domain:
    stmts = tuple(
        Statement(f"{domain.key}.{stage}.{i}", domain.key, stage, text)
        for i, (stage, text) in enumerate(texts, start=1)
    )
    return dataclasses.replace(domain, statements=stmts)


def test_same_version_has_no_differences():
    fw = read_framework_file(SYB)
    diff = diff_frameworks(fw, fw)
    assert diff.is_empty and diff.summary() == "No differences."


def test_added_removed_reworded_and_moved_statements_and_domains():
    old = read_framework_file(SYB)
    first = old.domains[0]
    texts = [(s.stage_key, s.text) for s in first.statements]
    reworded_from = texts[0][1]
    texts[0] = (texts[0][0], reworded_from.replace("shared vision", "common vision"))
    removed = texts.pop(1)
    texts.append(("maturing", "Partners review the shared vision every year."))
    moved = texts.pop(2)
    texts.append(("thriving", moved[1]))
    new_domains = (
        _with_statements(first, texts),
        *old.domains[1:5],
        dataclasses.replace(old.domains[5], title="Workforce and people"),
        *old.domains[7:],
        Domain("digital", "Digital", 14, ()),
    )
    new = dataclasses.replace(old, version="v1-5", domains=new_domains)
    diff = diff_frameworks(old, new)
    changes = {c.kind: c for c in diff.sections[0].statements}
    assert changes["reworded"].old_text == reworded_from
    assert "[-shared-] {+common+}" in word_changes(reworded_from, changes["reworded"].new_text)
    assert changes["removed"].old_text == removed[1]
    assert changes["added"].new_text == "Partners review the shared vision every year."
    assert changes["moved"].new_stage == "Thriving"
    kinds = {(s.kind, s.new_title or s.old_title) for s in diff.sections}
    assert ("added", "Digital") in kinds
    assert ("removed", old.domains[6].title) in kinds
    assert ("changed", "Workforce and people") in kinds
    text = diff.text()
    assert "+ Domain added: Digital" in text and "~ reworded (Emerging):" in text
    assert "1 domain added; 1 domain removed; 2 domains changed" in diff.summary()


def test_a_domain_whose_key_changed_is_paired_by_its_title():
    old = read_framework_file(SYB)
    renamed = dataclasses.replace(old.domains[1], key="leadership_and_culture")
    new = dataclasses.replace(
        old, version="v2", domains=(old.domains[0], renamed, *old.domains[2:])
    )
    diff = diff_frameworks(old, new)
    [section] = diff.sections
    assert section.kind == "changed" and section.details == (
        "key: leadership -> leadership_and_culture",
    )
    assert diff.summary() == "1 domain changed."
