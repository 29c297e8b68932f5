"""Feedback on the matrix, pure: kinds, counts, and the old version's feedback beside the diff."""

from __future__ import annotations

import pytest
from feedback_versions import DOMAIN, next_version

from matrix_desktop.core.errors import ValidationFailed
from matrix_desktop.core.feedback import (
    Feedback,
    FeedbackKind,
    counts_by_place,
    describe_counts,
    diff_feedback_lines,
    feedback_beside_diff,
    feedback_kind,
)
from matrix_desktop.core.framework_diff import diff_frameworks
from matrix_desktop.core.framework_file import read_framework_file
from matrix_desktop.paths import frameworks_dir


@pytest.fixture(scope="module")
def syb():
    return read_framework_file(frameworks_dir() / "syb_place_development_matrix_v1_4.yaml")


def _fb(n, statement, kind=FeedbackKind.CLARITY, domain=DOMAIN):
    return Feedback(f"id{n}", "a", domain, kind, statement, f"text {n}", "", "ann", "2030")


def test_kinds_by_name_and_a_bad_one_names_the_field():
    assert feedback_kind("Request for clarity") is FeedbackKind.CLARITY
    assert feedback_kind("rewording") is FeedbackKind.REWORDING
    with pytest.raises(ValidationFailed, match="^Kind of feedback: 'maybe'"):
        feedback_kind("maybe")


def test_counts_in_words():
    fbs = [_fb(1, "s"), _fb(2, "s"), _fb(3, "s"), _fb(4, "s", FeedbackKind.REWORDING)]
    counts = counts_by_place(fbs)[(DOMAIN, "s")]
    assert describe_counts(counts) == "3 requests for clarity, 1 suggested rewording"


def test_feedback_beside_each_changed_or_unchanged_statement(syb):
    new = next_version(syb)
    statements = syb.domain(DOMAIN).statements
    reworded, removed, unchanged = statements[0], statements[1], statements[2]
    fbs = [
        _fb(1, reworded.id),
        _fb(2, reworded.id),
        _fb(3, reworded.id),
        _fb(4, removed.id, FeedbackKind.REWORDING),
        _fb(5, unchanged.id),
        _fb(6, None),
    ]
    items = feedback_beside_diff(diff_frameworks(syb, new), syb, fbs)
    fates = {i.statement_text: (i.fate, describe_counts(i.counts)) for i in items}
    assert fates[reworded.text] == ("reworded", "3 requests for clarity")
    assert fates[removed.text] == ("removed", "1 suggested rewording")
    assert fates[unchanged.text] == ("unchanged", "1 request for clarity")
    assert fates[""] == ("domain", "1 request for clarity")
    text = "\n".join(diff_feedback_lines(items, syb.version))
    assert "Feedback on version v1-4 (6 in all)" in text
    assert "3 requests for clarity; reworded in the new version" in text
    assert "1 request for clarity; unchanged in the new version" in text
    assert diff_feedback_lines([], syb.version) == []
