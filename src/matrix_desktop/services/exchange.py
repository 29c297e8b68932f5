"""Export assessments to exchange files and import them back, previewed first, all or nothing."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from matrix_desktop.core.framework import Framework
from matrix_desktop.core.model import AssessmentRecord, AuditEvent, utcnow
from matrix_desktop.core.rules import validate_rating
from matrix_desktop.exchange.codec import (
    Bundle,
    ExchangeError,
    _assessment_doc,
    build_document,
    dumps_document,
    read_file,
)
from matrix_desktop.services import local_user
from matrix_desktop.services.catalog import CatalogService
from matrix_desktop.storage import frameworks_repo as fw_repo
from matrix_desktop.storage import repository as repo
from matrix_desktop.storage.database import Database

EXCHANGE_SUFFIX = ".mdx.json"


class Outcome(StrEnum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"


@dataclass(frozen=True)
class PlannedAssessment:
    source: str
    record: AssessmentRecord
    outcome: Outcome
    label: str


@dataclass
class ImportPlan:
    """What an import would do, per assessment, before anything changes."""

    bundles: list[tuple[str, Bundle]] = field(default_factory=list)
    items: list[PlannedAssessment] = field(default_factory=list)
    new_frameworks: list[Framework] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for i in self.items if i.outcome is outcome)

    def summary(self) -> str:
        parts = [f"{self.count(o)} {o.value}" for o in Outcome]
        text = ", ".join(parts)
        if self.new_frameworks:
            text += f"; {len(self.new_frameworks)} new framework version(s)"
        return text


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Return the exchange files named, looking inside folders (sorted, no repeats)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(x for x in p.iterdir() if x.name.endswith(".json") and x.is_file()))
        else:
            out.append(p)
    seen: set[Path] = set()
    return [p for p in out if not (p.resolve() in seen or seen.add(p.resolve()))]  # type: ignore[func-returns-value]


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
    def bundle(self, assessment_ids: Sequence[str], note: str = "") -> Bundle:
        """Return everything the given assessments need, as one bundle."""
        with self.db.reader() as s:
            records = [repo.get_record(s, a) for a in dict.fromkeys(assessment_ids)]
            entities = {r.assessment.entity_id: repo.get_entity(s, r.assessment.entity_id) for r in records}
            systems = {e.system_id: repo.get_system(s, e.system_id) for e in entities.values()}
            rounds = {r.assessment.round_id: repo.get_round(s, r.assessment.round_id) for r in records}
        frameworks = {
            (r.assessment.framework_key, r.assessment.framework_version): self.catalog.framework(
                r.assessment.framework_key, r.assessment.framework_version
            )
            for r in records
        }
        return Bundle(
            frameworks=tuple(frameworks.values()),
            systems=tuple(systems.values()),
            entities=tuple(entities.values()),
            rounds=tuple(rounds.values()),
            records=tuple(records),
            note=note,
        )

    def export(
        self,
        assessment_ids: Sequence[str],
        path: str | os.PathLike[str],
        note: str = "",
        exported_at: str | None = None,
    ) -> Path:
        """Write the assessments (and what they refer to) to one exchange file."""
        if not assessment_ids:
            raise ExchangeError("nothing to export: no assessments were chosen")
        doc = build_document(self.bundle(assessment_ids, note), exported_at)
        target = Path(path)
        try:
            write_atomically(target, dumps_document(doc))
        except OSError as exc:
            raise ExchangeError(f"{target}: cannot be written ({exc.strerror})") from None
        return target

    # -- import ------------------------------------------------------------------------
    def preview(self, paths: Iterable[str | os.PathLike[str]]) -> ImportPlan:
        """Read and check files and say what importing them would do; changes nothing."""
        plan = ImportPlan()
        files = expand_paths(paths)
        if not files:
            raise ExchangeError("no exchange files were found to import")
        known = {(f.key, f.version): f for f in self.catalog.frameworks()}
        incoming_ids: dict[str, str] = {}
        for path in files:
            bundle = read_file(path)
            plan.bundles.append((str(path), bundle))
            for fw in bundle.frameworks:
                if (fw.key, fw.version) not in known:
                    known[(fw.key, fw.version)] = fw
                    plan.new_frameworks.append(fw)
            self._check_bundle(str(path), bundle, known)
            for rec in bundle.records:
                aid = rec.assessment.id
                if aid in incoming_ids:
                    raise ExchangeError(
                        f"{path}: assessment {aid} is also in {incoming_ids[aid]}; import them one at a time"
                    )
                incoming_ids[aid] = str(path)
        with self.db.reader() as s:
            for source, bundle in plan.bundles:
                names = {e.id: e.name for e in bundle.entities}
                rounds = {r.id: r.name for r in bundle.rounds}
                for rec in bundle.records:
                    a = rec.assessment
                    label = f"{names.get(a.entity_id, a.entity_id)}, {rounds.get(a.round_id, '')}, {a.kind.label}"
                    plan.items.append(
                        PlannedAssessment(source, rec, self._outcome(s, rec), label)
                    )
        return plan

    def _check_bundle(self, source: str, bundle: Bundle, known: dict[tuple[str, str], Framework]) -> None:
        kinds = {e.id: e.kind for e in bundle.entities}
        with self.db.reader() as s:
            for i, rec in enumerate(bundle.records):
                a = rec.assessment
                where = f"{source}: assessments[{i}]"
                fw = known.get((a.framework_key, a.framework_version))
                if fw is None:
                    raise ExchangeError(
                        f"{where}.framework: {a.framework_key} version {a.framework_version} is "
                        "neither in the file nor in this database"
                    )
                kind = kinds.get(a.entity_id)
                if kind is None:
                    try:
                        kind = repo.get_entity(s, a.entity_id).kind
                    except Exception:
                        raise ExchangeError(
                            f"{where}.entity_id: entity {a.entity_id} is neither in the file nor in this database"
                        ) from None
                if a.round_id not in {r.id for r in bundle.rounds}:
                    try:
                        repo.get_round(s, a.round_id)
                    except Exception:
                        raise ExchangeError(
                            f"{where}.round_id: round {a.round_id} is neither in the file nor in this database"
                        ) from None
                for j, r in enumerate(rec.ratings):
                    try:
                        validate_rating(fw, None, r)
                    except Exception as exc:
                        field_name = "stage" if r.stage and not fw.has_stage(r.stage) else "domain"
                        if fw.has_domain(r.domain_key) and field_name == "domain":
                            field_name = "statements_met"
                        raise ExchangeError(f"{where}.ratings[{j}].{field_name}: {exc}") from None
                for j, v in enumerate(rec.votes):
                    if not fw.has_stage(v.stage or "") or not fw.has_domain(v.domain_key):
                        raise ExchangeError(
                            f"{where}.votes[{j}]: {v.domain_key}/{v.stage} is not in {fw.title}"
                        )

    @staticmethod
    def _outcome(session, rec: AssessmentRecord) -> Outcome:  # type: ignore[no-untyped-def]
        if not repo.has_assessment(session, rec.assessment.id):
            return Outcome.NEW
        local = repo.get_record(session, rec.assessment.id)
        if _assessment_doc(local) == _assessment_doc(rec):
            return Outcome.UNCHANGED
        if rec.assessment.revision > local.assessment.revision and (
            rec.assessment.modified_at >= local.assessment.modified_at
        ):
            return Outcome.UPDATED
        return Outcome.CONFLICT

    def apply(self, plan: ImportPlan, take_theirs: Iterable[str] = ()) -> ImportPlan:
        """Apply a previewed import in one transaction; conflicts keep the local copy unless
        their id is in take_theirs. Returns the plan that was applied."""
        theirs = set(take_theirs)
        if self.db.read_only:
            raise ExchangeError("this database is open read-only; nothing was imported")
        self.db.backup("import")  # a verified copy of the state before the import
        with self.db.session() as s:
            for fw in plan.new_frameworks:
                fw_repo.add_framework(s, fw)
            for _source, bundle in plan.bundles:
                for system in bundle.systems:
                    if not _exists(s, repo.get_system, system.id):
                        repo.put_system(s, system)
                for entity in bundle.entities:
                    if not _exists(s, repo.get_entity, entity.id):
                        repo.put_entity(s, entity)
                for rnd in bundle.rounds:
                    if not _exists(s, repo.get_round, rnd.id):
                        existing = repo.find_round(s, rnd.name)
                        if existing is None:
                            repo.put_round(s, rnd)
            store = repo.SqlAssessmentStore(s)
            round_alias = self._round_aliases(s, plan)
            for item in plan.items:
                take = item.outcome in (Outcome.NEW, Outcome.UPDATED) or (
                    item.outcome is Outcome.CONFLICT and item.record.assessment.id in theirs
                )
                if take:
                    rec = item.record
                    rid = round_alias.get(rec.assessment.round_id, rec.assessment.round_id)
                    if rid != rec.assessment.round_id:
                        rec = AssessmentRecord(rec.assessment.evolve(round_id=rid), rec.ratings, rec.votes)
                    store.put_record(rec)
                decision = item.outcome.value if take or item.outcome is not Outcome.CONFLICT else "conflict: kept mine"
                if item.outcome is Outcome.CONFLICT and take:
                    decision = "conflict: took theirs"
                if item.outcome is not Outcome.UNCHANGED:
                    repo.append_audit(
                        s,
                        AuditEvent(
                            None, utcnow(), self.user, "import", item.record.assessment.id, None,
                            f"{decision} from {Path(item.source).name}",
                        ),
                    )
        self.catalog.forget_frameworks()
        return plan

    @staticmethod
    def _round_aliases(session, plan: ImportPlan) -> dict[str, str]:  # type: ignore[no-untyped-def]
        """Map incoming round ids to local rounds of the same name (round names are unique)."""
        aliases: dict[str, str] = {}
        for _source, bundle in plan.bundles:
            for rnd in bundle.rounds:
                local = repo.find_round(session, rnd.name)
                if local is not None and local.id != rnd.id:
                    aliases[rnd.id] = local.id
        return aliases

    def import_paths(self, paths: Iterable[str | os.PathLike[str]]) -> ImportPlan:
        """Preview and apply in one go (conflicts keep the local copy)."""
        return self.apply(self.preview(paths))


def _exists(session, getter, ident: str) -> bool:  # type: ignore[no-untyped-def]
    try:
        getter(session, ident)
    except Exception:
        return False
    return True
