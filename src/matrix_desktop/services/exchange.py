"""Export assessments to exchange files and import them back: preview, decide, apply all or nothing.

The import API, for the CLI and the GUI alike:

    plan = service.preview(paths)            # reads and checks every file; changes nothing
    for item in plan.conflicts: ...          # item.choices, item.local, item.record, item.reason
    for c in plan.field_conflicts: ...       # c.key, c.label, c.base, c.mine, c.theirs
    result = service.apply(plan, {assessment_id: Resolution.KEEP_BOTH,
                                  field_key: FieldChoice.THEIRS, ...})

Assessments changed on both sides are merged field by field from the content both copies
last shared (each export and import keeps it); only fields changed differently on both sides
need a decision, per field (FieldKey -> FieldChoice) or for the whole assessment (its id ->
Resolution). Without a shared base the whole assessment needs a Resolution, as before.

apply() refuses a plan with an undecided conflict, re-checks the plan against the database
inside its one transaction (a stale plan is refused), backs up a SQLite database first, and
either imports everything or nothing. Every error is an ExchangeError naming the file, the
path inside it and what is wrong.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from matrix_desktop.core.model import AssessmentRecord, utcnow
from matrix_desktop.exchange.codec import (
    Bundle,
    ExchangeError,
    build_document,
    content_body,
    digest_of,
    dumps_document,
)
from matrix_desktop.exchange.fields import ConflictingField, FieldChoice, FieldKey
from matrix_desktop.exchange.merge import (
    Decisions,
    ImportPlan,
    ImportResult,
    Outcome,
    PlannedAssessment,
    Resolution,
)
from matrix_desktop.exchange.reader import read_file
from matrix_desktop.exchange.schema import MAX_SHARED_HASHES
from matrix_desktop.services import local_user
from matrix_desktop.services.catalog import CatalogService
from matrix_desktop.services.exchange_import import KEEP_BASES, Planner, Writer, plan_signature
from matrix_desktop.services.files import write_atomically
from matrix_desktop.storage import feedback_repo, sync_base
from matrix_desktop.storage import pairings as pairing_repo
from matrix_desktop.storage import repository as repo
from matrix_desktop.storage.backup import prune_backups
from matrix_desktop.storage.database import Database, WriteFailed

__all__ = [
    "EXCHANGE_SUFFIX",
    "ConflictingField",
    "ExchangeError",
    "ExchangeService",
    "FieldChoice",
    "FieldKey",
    "ImportPlan",
    "ImportResult",
    "Outcome",
    "PlannedAssessment",
    "Resolution",
    "UnresolvedConflicts",
    "expand_paths",
]

EXCHANGE_SUFFIX = ".mdx.json"
_EXPORT_ANCESTRY = MAX_SHARED_HASHES // 2  # most recent shared hashes written per assessment


class UnresolvedConflicts(ExchangeError):
    """apply() was given a plan with conflicts that have no decision."""

    def __init__(self, items: Sequence[PlannedAssessment], decisions: Decisions | None = None):
        self.items = tuple(items)
        chosen = decisions.fields if decisions else {}
        self.fields: tuple[ConflictingField, ...] = tuple(
            c for i in self.items for c in i.field_conflicts if c.key not in chosen
        )

        def name(i: PlannedAssessment) -> str:
            open_fields = [c.label for c in i.field_conflicts if c.key not in chosen]
            return f"{i.label} [{i.assessment_id}]" + (
                f" ({', '.join(open_fields)})" if open_fields else ""
            )

        names = "; ".join(name(i) for i in self.items[:5])
        more = f" and {len(self.items) - 5} more" if len(self.items) > 5 else ""
        super().__init__(
            f"{len(self.items)} assessment(s) changed on both sides need a decision "
            f"(keep mine or take theirs, per field or for the whole assessment, or keep "
            f"both): {names}{more}. Nothing was imported."
        )


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Return the files named, with the .json files inside any folder (sorted, no repeats)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(x for x in p.iterdir() if x.name.endswith(".json") and x.is_file()))
        else:
            out.append(p)
    seen: set[Path] = set()
    unique = []
    for p in out:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while an import builds and checks many objects.

    Reading and planning thousands of records allocates millions of objects, nearly all
    kept, so the collector's full passes repeat work that frees nothing (a third of the
    time of a repeated import). Reference counting still frees everything else at once.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class ExchangeService:
    """Exchange files between laptops: export a selection, preview and apply an import."""

    def __init__(self, db: Database, catalog: CatalogService, user: str | None = None):
        self.db = db
        self.catalog = catalog
        self.user = user or local_user()

    # -- export ------------------------------------------------------------------------
    def select(
        self,
        *,
        assessment_ids: Sequence[str] = (),
        entity_ids: Sequence[str] = (),
        system_ids: Sequence[str] = (),
        round_id: str | None = None,
    ) -> list[str]:
        """Return the assessment ids of a selection: given ids, entities' and systems' rounds."""
        ids = list(assessment_ids)
        with self.db.reader() as s:
            entities = list(entity_ids)
            for sid in system_ids:
                entities += [e.id for e in repo.list_entities(s, sid)]
            for eid in dict.fromkeys(entities):
                ids += [a.id for a in repo.list_assessments(s, eid, round_id)]
        return list(dict.fromkeys(ids))

    def bundle(self, assessment_ids: Sequence[str], note: str = "") -> Bundle:
        """Return everything the assessments need (with the assessments peer reviews review)."""
        return self._bundle(assessment_ids, note, record_sharing=False)

    def _bundle(self, assessment_ids: Sequence[str], note: str, record_sharing: bool) -> Bundle:
        # A server role that may not change every assessment (viewer, facilitator, reviewer)
        # exports without recording what was shared: the server would refuse those rows.
        access = self.db.access
        may_record = access is None or access.writes_everything
        record_sharing = record_sharing and not self.db.read_only and may_record
        context = self.db.session() if record_sharing else self.db.reader()
        with context as s:
            records: dict[str, AssessmentRecord] = {}
            todo = list(dict.fromkeys(assessment_ids))
            while todo:
                found = repo.get_records(s, todo)
                missing = [a for a in todo if a not in found]
                if missing:
                    raise ExchangeError(f"nothing was exported: no assessment with id {missing[0]}")
                records.update(found)
                todo = [
                    r.assessment.reviews_id
                    for r in found.values()
                    if r.assessment.reviews_id
                    and r.assessment.reviews_id not in records
                    and repo.has_assessment(s, r.assessment.reviews_id)
                ]
            entities = {
                a.entity_id: repo.get_entity(s, a.entity_id)
                for a in (r.assessment for r in records.values())
            }
            systems = {e.system_id: repo.get_system(s, e.system_id) for e in entities.values()}
            rounds = {
                r.assessment.round_id: repo.get_round(s, r.assessment.round_id)
                for r in records.values()
            }
            # Pairings of the exported entities travel with them, with the entity on the
            # other side (and its system and round) so the file names everything it holds.
            pairings = pairing_repo.pairings_of(s, list(entities))
            for p in pairings:
                for eid in (p.offering_entity_id, p.receiving_entity_id):
                    if eid not in entities:
                        entities[eid] = repo.get_entity(s, eid)
                        sid = entities[eid].system_id
                        systems.setdefault(sid, repo.get_system(s, sid))
                if p.round_id not in rounds:
                    rounds[p.round_id] = repo.get_round(s, p.round_id)
            feedback = tuple(
                f.feedback for f in feedback_repo.list_feedback(s, assessment_ids=list(records))
            )
            known = repo.sync_hashes(s, list(records))
            bases = sync_base.base_hashes(s, list(records)) if record_sharing else {}
            now = utcnow()
            ancestry: dict[str, tuple[str, ...]] = {}
            new_bases: list[tuple[str, str, str, str]] = []
            for aid, rec in records.items():
                body = content_body(rec)
                current = digest_of(body)
                hashes = known.get(aid, set())
                if len(hashes) >= _EXPORT_ANCESTRY:
                    hashes = set(repo.recent_sync_hashes(s, aid, _EXPORT_ANCESTRY - 1))
                ancestry[aid] = tuple(sorted(hashes | {current}))
                if record_sharing and current not in known.get(aid, set()):
                    repo.add_sync_hashes(s, aid, {current}, now, known=known.get(aid, set()))
                if record_sharing and current not in bases.get(aid, ()):
                    # What is exported is shared: the base a later import merges from.
                    new_bases.append((aid, current, body.decode("utf-8"), now))
            if new_bases:
                sync_base.insert_bases(s, new_bases)
                over = {
                    aid: [digest]
                    for aid, digest, _body, _at in new_bases
                    if len(bases.get(aid, ())) + 1 > KEEP_BASES
                }
                sync_base.prune_bases(s, bases, over, KEEP_BASES)
        frameworks = {
            (a.framework_key, a.framework_version): self.catalog.framework(
                a.framework_key, a.framework_version
            )
            for a in (r.assessment for r in records.values())
        }
        return Bundle(
            frameworks=tuple(frameworks.values()),
            systems=tuple(systems.values()),
            entities=tuple(entities.values()),
            rounds=tuple(rounds.values()),
            records=tuple(records.values()),
            note=note,
            ancestry=ancestry,
            pairings=tuple(pairings),
            feedback=feedback,
        )

    def export(
        self,
        assessment_ids: Sequence[str],
        path: str | os.PathLike[str],
        note: str = "",
        exported_at: str | None = None,
    ) -> Path:
        """Write the assessments (and what they refer to) to one exchange file; returns its path.

        The content exported is recorded as shared, so a later import can tell which side
        changed since (not on a read-only database: merges then ask more often).
        """
        if not assessment_ids:
            raise ExchangeError("nothing to export: no assessments were chosen")
        doc = build_document(self._bundle(assessment_ids, note, record_sharing=True), exported_at)
        target = Path(path)
        try:
            write_atomically(target, dumps_document(doc))
        except OSError as exc:
            raise ExchangeError(f"{target}: cannot be written ({exc.strerror})") from None
        return target

    # -- import: preview ---------------------------------------------------------------
    def read(self, paths: Iterable[str | os.PathLike[str]]) -> list[tuple[str, Bundle]]:
        """Return each exchange file's contents, checked; the first bad file raises."""
        files = expand_paths(paths)
        if not files:
            raise ExchangeError("no exchange files were found to import")
        return [(str(p), read_file(p)) for p in files]

    def preview(self, paths: Iterable[str | os.PathLike[str]]) -> ImportPlan:
        """Return what importing the files would do, per assessment; changes nothing."""
        with _collector_paused():
            files = self.read(paths)
            with self.db.reader() as s:
                return Planner(s, files).plan()

    # -- import: apply -----------------------------------------------------------------
    def apply(
        self,
        plan: ImportPlan,
        decisions: Mapping[str | FieldKey, Resolution | FieldChoice | str] | None = None,
        *,
        backup: bool = True,
    ) -> ImportResult:
        """Apply a previewed plan in one transaction; returns what changed.

        decisions maps a conflicting assessment's id to a Resolution (for a field-level
        merge: keep mine / take theirs for every conflicting field, or keep both copies),
        and a conflicting field's FieldKey to a FieldChoice (mine = this database's value,
        theirs = the file's), which wins over its assessment's. Raises UnresolvedConflicts
        if a choice is missing, ExchangeError if the plan is stale or anything fails; in
        every failure the database is as it was.
        """
        chosen = self._check_decisions(plan, decisions or {})
        if self.db.read_only:
            raise ExchangeError("this database is open read-only; nothing was imported")
        if not plan.has_changes:
            return ImportResult(plan, chosen.whole, chosen.fields)
        backup_path = None
        if backup and self.db.path is not None and not self.db.read_only:
            # A verified copy first; the rotation keeps repeated imports from piling up.
            backup_path = self.db.backup("import")
            prune_backups(self.db.path)
        try:
            with _collector_paused(), self.db.session() as s:
                fresh = Planner(s, plan.files).plan()
                if plan_signature(fresh) != plan_signature(plan):
                    raise ExchangeError(
                        "the database changed since the preview; preview the import again. "
                        "Nothing was imported."
                    )
                changed, copies = Writer(s, self.user, backup_path).write(fresh, chosen)
        except (SQLAlchemyError, WriteFailed) as exc:
            reason = getattr(exc, "orig", None) or exc
            raise ExchangeError(
                "the import failed, so nothing was imported and the database is as it was: "
                f"{reason}"
            ) from exc
        finally:
            self.catalog.forget_frameworks()
        # Reload now, outside any transaction: AssessmentService reads the catalogue while it
        # holds a write transaction, and an empty cache there would wait on its own lock.
        self.catalog.frameworks()
        return ImportResult(
            plan,
            chosen.whole,
            chosen.fields,
            tuple(changed),
            copies,
            str(backup_path) if backup_path else None,
        )

    def import_paths(
        self,
        paths: Iterable[str | os.PathLike[str]],
        resolve_all: Resolution | None = None,
    ) -> ImportResult:
        """Preview and apply in one go; conflicts all get resolve_all (else they are refused)."""
        plan = self.preview(paths)
        decisions: dict[str | FieldKey, Resolution | FieldChoice | str] = (
            {i.assessment_id: resolve_all for i in plan.conflicts} if resolve_all else {}
        )
        return self.apply(plan, decisions)

    @staticmethod
    def _check_decisions(
        plan: ImportPlan, decisions: Mapping[str | FieldKey, Resolution | FieldChoice | str]
    ) -> Decisions:
        conflicts = {i.assessment_id: i for i in plan.conflicts}
        fields = {c.key: c for c in plan.field_conflicts}
        whole: dict[str, Resolution] = {}
        chosen: dict[FieldKey, FieldChoice] = {}
        for key, value in decisions.items():
            if isinstance(key, FieldKey):
                if key not in fields:
                    raise ExchangeError(
                        f"{key.text()}: not a field changed differently on both sides in this "
                        "import, so it takes no decision"
                    )
                chosen[key] = _field_choice(key.text(), value)
                continue
            if key not in conflicts:
                raise ExchangeError(
                    f"{key}: not a conflict in this import, so it takes no decision"
                )
            try:
                whole[key] = Resolution(str(value).replace("-", "_"))
            except ValueError:
                options = ", ".join(r.value for r in Resolution)
                raise ExchangeError(f"{key}: {value!r} is not one of {options}") from None
        for key in chosen:
            if whole.get(key.assessment_id) is Resolution.KEEP_BOTH:
                raise ExchangeError(
                    f"{key.text()}: keep both keeps this database's copy as it is and imports "
                    "the file's as a separate copy, so no field of it takes a choice"
                )
        result = Decisions(whole, chosen)
        missing = [i for i in conflicts.values() if not result.decided(i)]
        if missing:
            raise UnresolvedConflicts(missing, result)
        return result


def _field_choice(where: str, value: object) -> FieldChoice:
    """Return the FieldChoice a value names: mine/theirs (or keep-mine/take-theirs)."""
    text = str(getattr(value, "value", value)).replace("-", "_")
    aliases = {"keep_mine": "mine", "take_theirs": "theirs"}
    try:
        return FieldChoice(aliases.get(text, text))
    except ValueError:
        raise ExchangeError(f"{where}: {value!r} is not one of mine, theirs") from None
