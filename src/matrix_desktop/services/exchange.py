"""Export assessments to exchange files and import them back: preview, decide, apply all or nothing.

The import API, for the CLI and the GUI alike:

    plan = service.preview(paths)            # reads and checks every file; changes nothing
    for item in plan.conflicts: ...          # item.choices, item.local, item.record, item.reason
    result = service.apply(plan, {assessment_id: Resolution.KEEP_BOTH, ...})

apply() refuses a plan with an undecided conflict, re-checks the plan against the database
inside its one transaction (a stale plan is refused), backs up a SQLite database first, and
either imports everything or nothing. Every error is an ExchangeError naming the file, the
path inside it and what is wrong.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from matrix_desktop.core.errors import ValidationFailed
from matrix_desktop.core.framework import Framework
from matrix_desktop.core.model import AssessmentRecord, AuditEvent, Entity, Round, System, utcnow
from matrix_desktop.core.model import new_id as make_id
from matrix_desktop.core.rules import validate_rating
from matrix_desktop.exchange.codec import (
    Bundle,
    ExchangeError,
    build_document,
    content_hash,
    dumps_document,
)
from matrix_desktop.exchange.merge import (
    ImportPlan,
    ImportResult,
    Outcome,
    PlannedAssessment,
    Resolution,
    classify,
    copy_for_keep_both,
)
from matrix_desktop.exchange.reader import read_file
from matrix_desktop.exchange.schema import MAX_SHARED_HASHES
from matrix_desktop.services import local_user
from matrix_desktop.services.catalog import CatalogService
from matrix_desktop.storage import frameworks_repo as fw_repo
from matrix_desktop.storage import repository as repo
from matrix_desktop.storage.backup import backup_database, timestamped_backup_path
from matrix_desktop.storage.database import Database

__all__ = [
    "EXCHANGE_SUFFIX",
    "ExchangeError",
    "ExchangeService",
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

    def __init__(self, items: Sequence[PlannedAssessment]):
        self.items = tuple(items)
        names = "; ".join(f"{i.label} [{i.assessment_id}]" for i in self.items[:5])
        more = f" and {len(self.items) - 5} more" if len(self.items) > 5 else ""
        super().__init__(
            f"{len(self.items)} assessment(s) changed on both sides need a decision "
            f"(keep mine, take theirs or keep both): {names}{more}. Nothing was imported."
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


def write_atomically(path: Path, data: bytes) -> None:
    """Write bytes to a temporary name, fsync, then rename over the final path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.partial")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


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
        record_sharing = record_sharing and not self.db.read_only
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
            known = repo.sync_hashes(s, list(records))
            now = utcnow()
            ancestry: dict[str, tuple[str, ...]] = {}
            for aid, rec in records.items():
                current = content_hash(rec)
                hashes = known.get(aid, set())
                if len(hashes) >= _EXPORT_ANCESTRY:
                    hashes = set(repo.recent_sync_hashes(s, aid, _EXPORT_ANCESTRY - 1))
                ancestry[aid] = tuple(sorted(hashes | {current}))
                if record_sharing and current not in known.get(aid, set()):
                    repo.add_sync_hashes(s, aid, {current}, now, known=known.get(aid, set()))
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
        files = self.read(paths)
        with self.db.reader() as s:
            return _Planner(s, files).plan()

    # -- import: apply -----------------------------------------------------------------
    def apply(
        self,
        plan: ImportPlan,
        decisions: Mapping[str, Resolution | str] | None = None,
        *,
        backup: bool = True,
    ) -> ImportResult:
        """Apply a previewed plan in one transaction; returns what changed.

        decisions maps each conflicting assessment's id to a Resolution. Raises
        UnresolvedConflicts if one is missing, ExchangeError if the plan is stale or anything
        fails; in every failure the database is as it was.
        """
        chosen = self._check_decisions(plan, decisions or {})
        if self.db.read_only:
            raise ExchangeError("this database is open read-only; nothing was imported")
        if not plan.has_changes:
            return ImportResult(plan, chosen)
        backup_path = None
        if backup and self.db.path is not None and self.db.path.exists():
            backup_path = backup_database(
                self.db.path, timestamped_backup_path(self.db.path, "import")
            )
        try:
            with self.db.session() as s:
                fresh = _Planner(s, plan.files).plan()
                if _signature(fresh) != _signature(plan):
                    raise ExchangeError(
                        "the database changed since the preview; preview the import again. "
                        "Nothing was imported."
                    )
                changed, copies = _Writer(s, self.user, backup_path).write(fresh, chosen)
        except SQLAlchemyError as exc:
            reason = getattr(exc, "orig", None) or exc
            raise ExchangeError(
                f"the import failed, so nothing was imported and the database is as it was: {reason}"
            ) from exc
        finally:
            self.catalog.forget_frameworks()
        # Reload now, outside any transaction: AssessmentService reads the catalogue while it
        # holds a write transaction, and an empty cache there would wait on its own lock.
        self.catalog.frameworks()
        return ImportResult(
            plan, chosen, tuple(changed), copies, str(backup_path) if backup_path else None
        )

    def import_paths(
        self,
        paths: Iterable[str | os.PathLike[str]],
        resolve_all: Resolution | None = None,
    ) -> ImportResult:
        """Preview and apply in one go; conflicts all get resolve_all (else they are refused)."""
        plan = self.preview(paths)
        decisions = {i.assessment_id: resolve_all for i in plan.conflicts} if resolve_all else {}
        return self.apply(plan, decisions)

    @staticmethod
    def _check_decisions(
        plan: ImportPlan, decisions: Mapping[str, Resolution | str]
    ) -> dict[str, Resolution]:
        conflicts = {i.assessment_id: i for i in plan.conflicts}
        chosen: dict[str, Resolution] = {}
        for aid, value in decisions.items():
            if aid not in conflicts:
                raise ExchangeError(
                    f"{aid}: not a conflict in this import, so it takes no decision"
                )
            try:
                chosen[aid] = Resolution(value)
            except ValueError:
                options = ", ".join(r.value for r in Resolution)
                raise ExchangeError(f"{aid}: {value!r} is not one of {options}") from None
        missing = [i for aid, i in conflicts.items() if aid not in chosen]
        if missing:
            raise UnresolvedConflicts(missing)
        return chosen


def _signature(plan: ImportPlan) -> tuple[object, ...]:
    return (
        tuple(i.signature() for i in plan.items),
        tuple((f.key, f.version) for f in plan.new_frameworks),
        tuple(x.id for x in plan.new_systems),
        tuple(x.id for x in plan.new_entities),
        tuple(x.id for x in plan.new_rounds),
    )


class _Planner:
    """Builds an import plan from checked files against one session's view of the database."""

    def __init__(self, session: Session, files: Sequence[tuple[str, Bundle]]):
        self.s = session
        self.files = tuple(files)
        self.frameworks = {(f.key, f.version): f for f in fw_repo.list_frameworks(session)}
        self.systems = {x.id: x for x in repo.list_systems(session)}
        self.system_names = {x.name.lower(): x.id for x in self.systems.values()}
        self.entities = {x.id: x for x in repo.list_entities(session)}
        self.entity_names = {(x.system_id, x.name.lower()): x.id for x in self.entities.values()}
        self.rounds = {x.id: x for x in repo.list_rounds(session)}
        self.round_names = {x.name.lower(): x.id for x in self.rounds.values()}
        self.new_frameworks: list[Framework] = []
        self.new_systems: list[System] = []
        self.new_entities: list[Entity] = []
        self.new_rounds: list[Round] = []

    def plan(self) -> ImportPlan:
        incoming: list[tuple[str, int, AssessmentRecord, str, frozenset[str]]] = []
        first_seen: dict[str, tuple[str, str]] = {}
        skipped: list[str] = []
        for source, bundle in self.files:
            system_map = self._systems(source, bundle)
            entity_map = self._entities(source, bundle, system_map)
            round_map = self._rounds(bundle)
            for fw in bundle.frameworks:
                if (fw.key, fw.version) not in self.frameworks:
                    self.frameworks[(fw.key, fw.version)] = fw
                    self.new_frameworks.append(fw)
            for i, rec in enumerate(bundle.records):
                where = f"{source}: assessments[{i}]"
                rec = self._checked(where, rec, entity_map, round_map)
                digest = content_hash(rec)
                aid = rec.assessment.id
                if aid in first_seen:
                    other, other_digest = first_seen[aid]
                    if other_digest != digest:
                        raise ExchangeError(
                            f"{where}.id: assessment {aid} is also in {other} with different "
                            "content; import those files one at a time"
                        )
                    skipped.append(f"repeat      {aid} in {source}: same as in {other}, skipped")
                    continue
                first_seen[aid] = (source, digest)
                ancestry = frozenset(bundle.ancestry.get(aid, ()))
                incoming.append((source, i, rec, digest, ancestry))
        ids = [rec.assessment.id for _, _, rec, _, _ in incoming]
        self._check_reviews(incoming, set(ids))
        local = repo.get_records(self.s, ids)
        local_ancestry = repo.sync_hashes(self.s, ids)
        items = []
        for source, i, rec, digest, ancestry in incoming:
            aid = rec.assessment.id
            mine = local.get(aid)
            mine_hash = content_hash(mine) if mine else None
            mine_ancestry = frozenset(local_ancestry.get(aid, ()))
            outcome, reason = classify(mine_hash, mine_ancestry, digest, ancestry)
            items.append(
                PlannedAssessment(
                    source=source,
                    index=i,
                    record=rec,
                    outcome=outcome,
                    reason=reason,
                    label=self._label(rec),
                    content_hash=digest,
                    ancestry=ancestry,
                    local=mine.assessment if mine else None,
                    local_hash=mine_hash,
                    local_ancestry=mine_ancestry,
                )
            )
        return ImportPlan(
            files=self.files,
            items=tuple(items),
            new_frameworks=tuple(self.new_frameworks),
            new_systems=tuple(self.new_systems),
            new_entities=tuple(self.new_entities),
            new_rounds=tuple(self.new_rounds),
            skipped=tuple(skipped),
        )

    def _systems(self, source: str, bundle: Bundle) -> dict[str, str]:
        out = {}
        for x in bundle.systems:
            if x.id in self.systems:
                out[x.id] = x.id
            elif x.name.lower() in self.system_names:
                out[x.id] = self.system_names[x.name.lower()]
            else:
                self.systems[x.id] = x
                self.system_names[x.name.lower()] = x.id
                self.new_systems.append(x)
                out[x.id] = x.id
        return out

    def _entities(self, source: str, bundle: Bundle, system_map: dict[str, str]) -> dict[str, str]:
        out = {}
        for i, e in enumerate(bundle.entities):
            sid = system_map.get(e.system_id) or (
                e.system_id if e.system_id in self.systems else None
            )
            if sid is None:
                raise ExchangeError(
                    f"{source}: entities[{i}].system_id: system {e.system_id} is neither in the "
                    "file nor in this database"
                )
            if e.id in self.entities:
                out[e.id] = e.id
            elif (sid, e.name.lower()) in self.entity_names:
                out[e.id] = self.entity_names[(sid, e.name.lower())]
            else:
                entity = Entity(e.id, sid, e.name, e.kind, e.members)
                self.entities[e.id] = entity
                self.entity_names[(sid, e.name.lower())] = e.id
                self.new_entities.append(entity)
                out[e.id] = e.id
        return out

    def _rounds(self, bundle: Bundle) -> dict[str, str]:
        out = {}
        for r in bundle.rounds:
            if r.id in self.rounds:
                out[r.id] = r.id
            elif r.name.lower() in self.round_names:
                out[r.id] = self.round_names[r.name.lower()]
            else:
                self.rounds[r.id] = r
                self.round_names[r.name.lower()] = r.id
                self.new_rounds.append(r)
                out[r.id] = r.id
        return out

    def _checked(
        self,
        where: str,
        rec: AssessmentRecord,
        entity_map: dict[str, str],
        round_map: dict[str, str],
    ) -> AssessmentRecord:
        """Return the record with entity and round ids mapped to this database's; check it."""
        a = rec.assessment
        fw = self.frameworks.get((a.framework_key, a.framework_version))
        if fw is None:
            raise ExchangeError(
                f"{where}.framework: {a.framework_key} version {a.framework_version} is neither "
                "in the file nor in this database"
            )
        eid = entity_map.get(a.entity_id) or (a.entity_id if a.entity_id in self.entities else None)
        if eid is None:
            raise ExchangeError(
                f"{where}.entity_id: entity {a.entity_id} is neither in the file nor in this database"
            )
        rid = round_map.get(a.round_id) or (a.round_id if a.round_id in self.rounds else None)
        if rid is None:
            raise ExchangeError(
                f"{where}.round_id: round {a.round_id} is neither in the file nor in this database"
            )
        kind = self.entities[eid].kind
        if kind not in fw.applies_to:
            raise ExchangeError(
                f"{where}.framework: {fw.title} is not for a {kind.label.lower()} "
                f"({self.entities[eid].name})"
            )
        for j, r in enumerate(rec.ratings):
            at = f"{where}.ratings[{j}]"
            if not fw.has_domain(r.domain_key):
                raise ExchangeError(f"{at}.domain: {r.domain_key!r} is not a domain of {fw.title}")
            if r.stage is not None and not fw.has_stage(r.stage):
                stages = ", ".join(s.key for s in fw.stages)
                raise ExchangeError(
                    f"{at}.stage: {r.stage!r} is not a stage of {fw.title} (stages: {stages})"
                )
            try:
                validate_rating(fw, None, r)
            except ValidationFailed as exc:
                raise ExchangeError(f"{at}: {exc}") from None
        for j, v in enumerate(rec.votes):
            at = f"{where}.votes[{j}]"
            if not fw.has_domain(v.domain_key):
                raise ExchangeError(f"{at}.domain: {v.domain_key!r} is not a domain of {fw.title}")
            if not fw.has_stage(v.stage or ""):
                raise ExchangeError(f"{at}.stage: {v.stage!r} is not a stage of {fw.title}")
        if eid == a.entity_id and rid == a.round_id:
            return rec
        return AssessmentRecord(a.evolve(entity_id=eid, round_id=rid), rec.ratings, rec.votes)

    def _check_reviews(self, incoming: list, ids: set[str]) -> None:  # type: ignore[type-arg]
        for source, i, rec, _digest, _ancestry in incoming:
            target = rec.assessment.reviews_id
            if target and target not in ids and not repo.has_assessment(self.s, target):
                raise ExchangeError(
                    f"{source}: assessments[{i}].reviews_id: the assessment it reviews "
                    f"({target}) is neither in the file nor in this database"
                )

    def _label(self, rec: AssessmentRecord) -> str:
        a = rec.assessment
        entity = self.entities.get(a.entity_id)
        rnd = self.rounds.get(a.round_id)
        return ", ".join(
            (entity.name if entity else a.entity_id, rnd.name if rnd else a.round_id, a.kind.label)
        )


class _Writer:
    """Writes a checked, decided plan inside one session (the caller's transaction)."""

    def __init__(self, session: Session, user: str, backup: Path | None):
        self.s = session
        self.user = user
        self.backup = backup
        self.now = utcnow()

    def write(
        self, plan: ImportPlan, decisions: Mapping[str, Resolution]
    ) -> tuple[list[str], dict[str, str]]:
        s = self.s
        for fw in plan.new_frameworks:
            fw_repo.add_framework(s, fw)
        for x in plan.new_systems:
            repo.put_system(s, x)
        for e in plan.new_entities:
            repo.put_entity(s, e)
        for r in plan.new_rounds:
            repo.put_round(s, r)
        store = repo.SqlAssessmentStore(s)
        changed: list[str] = []
        copies: dict[str, str] = {}
        # The assessments peer reviews point at go first (foreign keys are checked at once).
        for item in sorted(plan.items, key=lambda i: i.record.assessment.reviews_id is not None):
            aid = item.assessment_id
            where = f"from {_file_name(item.source)}"
            if item.outcome is Outcome.NEW:
                store.put_record(item.record)
                changed.append(aid)
                self._audit(aid, f"new {where}")
            elif item.outcome is Outcome.UPDATED:
                store.put_record(_over_local(item))
                changed.append(aid)
                self._audit(aid, f"updated {where}: {item.reason}{self._replaced(item)}")
            elif item.outcome is Outcome.CONFLICT:
                choice = decisions[aid]
                detail = f"conflict {where} ({item.reason}); decision: {choice.label}"
                if choice is Resolution.TAKE_THEIRS:
                    store.put_record(_over_local(item))
                    changed.append(aid)
                    detail += self._replaced(item)
                elif choice is Resolution.KEEP_BOTH:
                    copy = copy_for_keep_both(item.record, make_id(), item.source)
                    store.put_record(copy)
                    copies[aid] = copy.assessment.id
                    changed.append(copy.assessment.id)
                    detail += f"; their copy imported as {copy.assessment.id}"
                    self._audit(copy.assessment.id, f"created as their copy of {aid} {where}")
                self._audit(aid, detail)
            if item.new_sync_hashes:
                repo.add_sync_hashes(
                    s, aid, set(item.new_sync_hashes), self.now, known=set(item.local_ancestry)
                )
        names = ", ".join(sorted({_file_name(src) for src, _ in plan.files}))
        summary = f"{len(plan.files)} file(s) ({names}): {plan.summary()}"
        if self.backup:
            summary += f"; backup before import: {self.backup}"
        self._audit(None, summary)
        return changed, copies

    def _replaced(self, item: PlannedAssessment) -> str:
        if item.local is None:
            return ""
        where = f"; the backup {self.backup} holds it" if self.backup else ""
        return f"; replaced local revision {item.local.revision} ({item.local_hash}){where}"

    def _audit(self, assessment_id: str | None, detail: str) -> None:
        repo.append_audit(
            self.s, AuditEvent(None, self.now, self.user, "import", assessment_id, None, detail)
        )


def _over_local(item: PlannedAssessment) -> AssessmentRecord:
    """Return the incoming record with a revision above the local one it replaces.

    Revisions only ever go up on one laptop (views use them to spot stale copies); they are
    not part of the content, so the two sides still compare equal afterwards.
    """
    rec = item.record
    if item.local is None or rec.assessment.revision > item.local.revision:
        return rec
    bumped = rec.assessment.evolve(revision=item.local.revision + 1)
    return AssessmentRecord(bumped, rec.ratings, rec.votes)


def _file_name(source: str) -> str:
    return Path(source).name
