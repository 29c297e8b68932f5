"""Edits kept in memory while the server is out of reach, written to an exchange file on quit.

When the user quits before the link returns, the kept edits are applied to the values last
read from the server (held in memory: no database is needed) and written as an ordinary
exchange file, which `import` merges field by field once the server is back.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from matrix_desktop.core.commands import Command, Edit
from matrix_desktop.core.feedback import Feedback, feedback_kind
from matrix_desktop.core.framework import Framework
from matrix_desktop.core.model import AssessmentRecord, Entity, Round, System, Vote, utcnow
from matrix_desktop.exchange.codec import (
    Bundle,
    ExchangeError,
    build_document,
    content_body,
    digest_of,
    dumps_document,
)
from matrix_desktop.services import local_user
from matrix_desktop.services.files import write_atomically

NOTE = "Changes that could not reach the database server; import this file to save them."


@dataclass(frozen=True)
class LastSeen:
    """What the app last read of an assessment and what it refers to (kept in memory)."""

    record: AssessmentRecord
    framework: Framework
    entity: Entity
    system: System
    round: Round


def apply_kept(record: AssessmentRecord, command: Command) -> AssessmentRecord:
    """Return the record with a kept edit applied, as the server would store it."""
    if not isinstance(command, Edit):
        return record  # finalise/reopen are not carried over: they need the server's check
    a = record.assessment
    kind = command.target.kind
    if kind == "feedback":
        return record  # feedback on the matrix is not the assessment's content (kept_feedback)
    if kind == "rating":
        key = command.target.domain_key or ""
        rating = record.rating(key).evolve(**command.new)
        ratings = tuple(r for r in record.ratings if r.domain_key != key) + (rating,)
        return AssessmentRecord(a, ratings, record.votes)
    if kind == "vote":
        pid, key = command.target.participant_id or "", command.target.domain_key or ""
        stage = command.new.get("stage")
        stage = None if stage is None else str(stage)
        votes = tuple(v for v in record.votes if (v.participant_id, v.domain_key) != (pid, key)) + (
            (Vote(a.id, pid, key, stage),) if stage is not None else ()
        )
        return AssessmentRecord(a, record.ratings, votes)
    return AssessmentRecord(a.evolve(**command.new), record.ratings, record.votes)


def write_kept_edits(
    kept: Sequence[Command],
    last_seen: Mapping[str, LastSeen],
    path: str | os.PathLike[str],
    exported_at: str | None = None,
) -> Path:
    """Write the kept edits (applied to what was last read) as an exchange file; returns it.

    Raises ExchangeError naming an assessment whose values were never read here.
    """
    records: dict[str, AssessmentRecord] = {}
    feedback: dict[str, Feedback] = {}
    for command in kept:
        aid = command.assessment_id
        if aid not in last_seen:
            raise ExchangeError(
                f"nothing was written: the assessment {aid} was not read in this session"
            )
        records[aid] = apply_kept(records.get(aid, last_seen[aid].record), command)
        _keep_feedback(feedback, command)
    if not records:
        raise ExchangeError("nothing to write: there are no unsaved changes")
    seen = [last_seen[aid] for aid in records]
    frameworks = {(s.framework.key, s.framework.version): s.framework for s in seen}
    bundle = Bundle(
        frameworks=tuple(frameworks.values()),
        systems=tuple({s.system.id: s.system for s in seen}.values()),
        entities=tuple({s.entity.id: s.entity for s in seen}.values()),
        rounds=tuple({s.round.id: s.round for s in seen}.values()),
        records=tuple(records.values()),
        note=NOTE,
        # The server's version these edits were made from: an import merges from it.
        ancestry={aid: (digest_of(content_body(last_seen[aid].record)),) for aid in records},
        feedback=tuple(f for f in feedback.values() if f.kind is not None),
    )
    target = Path(path)
    try:
        write_atomically(target, dumps_document(build_document(bundle, exported_at)))
    except OSError as exc:
        raise ExchangeError(f"{target}: cannot be written ({exc.strerror})") from None
    return target


def _keep_feedback(feedback: dict[str, Feedback], command: Command) -> None:
    """Carry a kept edit of feedback on the matrix into the file (new feedback, as typed)."""
    if not isinstance(command, Edit) or command.target.kind != "feedback":
        return
    t = command.target
    if t.item_id is None or t.domain_key is None:
        return
    base = feedback.get(t.item_id) or Feedback(
        t.item_id, t.assessment_id, t.domain_key, author=local_user(), created_at=utcnow()
    )
    changes = dict(command.new)
    if changes.get("kind") is not None:
        changes["kind"] = feedback_kind(str(getattr(changes["kind"], "value", changes["kind"])))
    feedback[t.item_id] = replace(base, **changes)  # type: ignore[arg-type]
