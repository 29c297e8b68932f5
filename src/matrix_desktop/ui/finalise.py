"""The finalise question both scoring screens ask: it names every domain left unscored."""

from __future__ import annotations

from collections.abc import Sequence


def finalise_question(unscored: Sequence[str], applicable: int, noun: str) -> tuple[str, str]:
    """Return (question, button text) for finalising an assessment or review.

    unscored: the titles of the domains that apply but have no stage; applicable: how many
    domains apply; noun: "assessment" or "review". With domains unscored the question says
    how many, lists them and the button repeats the number, so finalising a half-scored
    assessment is a choice made knowingly.
    """
    after = "It becomes read-only; reopening it later needs a reason, recorded in the audit trail."
    if not unscored:
        return f"Finalise this {noun}? All {applicable} domains are scored. {after}", "Finalise"
    n = len(unscored)
    domains = "domain" if n == 1 else "domains"
    listed = "\n".join(f"  • {title}" for title in unscored)
    question = (
        f"Finalise with {n} {domains} not scored?\n\n"
        f"{n} of the {applicable} domains that apply have no stage:\n{listed}\n\n{after}"
    )
    return question, f"Finalise with {n} not scored"
