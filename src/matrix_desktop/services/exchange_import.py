"""Import internals: build a plan against one session's view of the database, and write it."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from sqlalchemy.orm import Session

from matrix_desktop.core.feedback import Feedback
from matrix_desktop.core.framework import Framework
from matrix_desktop.core.framework_file import spec_from_framework
from matrix_desktop.core.model import (
    AssessmentRecord,
    AuditEvent,
    Entity,
    Round,
    System,
    utcnow,
)
from matrix_desktop.core.model import new_id as make_id
from matrix_desktop.core.names import name_key
from matrix_desktop.core.rules import moved_field, review_problem
from matrix_desktop.exchange.codec import (
    Bundle,
    ExchangeError,
    content_body,
    content_hash,
    digest_of,
    record_from_content,
)
from matrix_desktop.exchange.fields import identity_differs, merge_records
from matrix_desktop.exchange.merge import (
    BASE_NOT_SHARED,
    FINALISED_WHILE_EDITED,
    IDENTITY_DIFFERS,
    NO_BASE,
    Decisions,
    ImportPlan,
    Outcome,
    PlannedAssessment,
    Resolution,
    classify,
    copy_for_keep_both,
)
from matrix_desktop.services import pairing_import
from matrix_desktop.storage import feedback_repo, sync_base
from matrix_desktop.storage import frameworks_repo as fw_repo
from matrix_desktop.storage import repository as repo

KEEP_BASES = 12  # merge bases kept per assessment, the newest (older ones merge no better)
_BASES_PER_INSERT = 200
# Placeholders for what a stored base leaves out (not content; never written anywhere).
_BASE_ID = "00000000-0000-4000-8000-000000000000"
_BASE_STAMP = "2000-01-01T00:00:00+00:00"
# One record read from a file: (source, index in it, record, content hash, ancestry hashes).
Incoming = tuple[str, int, AssessmentRecord, str, frozenset[str]]


def plan_signature(plan: ImportPlan) -> tuple[object, ...]:
    return (
        tuple(i.signature() for i in plan.items),
        tuple((f.key, f.version) for f in plan.new_frameworks),
        tuple(x.id for x in plan.new_systems),
        tuple(x.id for x in plan.new_entities),
        tuple(x.id for x in plan.new_rounds),
        tuple((p.pairing.id, p.outcome) for p in plan.pairings),
        tuple(f.id for f, _key, _version in plan.new_feedback),
    )


class Planner:
    """Builds an import plan from checked files against one session's view of the database."""

    def __init__(self, session: Session, files: Sequence[tuple[str, Bundle]]):
        self.s = session
        self.files = tuple(files)
        self.frameworks = {(f.key, f.version): f for f in fw_repo.list_frameworks(session)}
        self.systems = {x.id: x for x in repo.list_systems(session)}
        self.system_names = {name_key(x.name): x.id for x in self.systems.values()}
        self.entities = {x.id: x for x in repo.list_entities(session)}
        self.entity_names = {(x.system_id, name_key(x.name)): x.id for x in self.entities.values()}
        self.rounds = {x.id: x for x in repo.list_rounds(session)}
        self.round_names = {name_key(x.name): x.id for x in self.rounds.values()}
        self.new_frameworks: list[Framework] = []
        self.new_systems: list[System] = []
        self.new_entities: list[Entity] = []
        self.new_rounds: list[Round] = []

    def plan(self) -> ImportPlan:
        incoming: list[Incoming] = []
        bodies: dict[str, bytes] = {}
        first_seen: dict[str, tuple[str, str]] = {}
        skipped: list[str] = []
        pairings: list[pairing_import.Incoming] = []
        for source, bundle in self.files:
            system_map = self._systems(source, bundle)
            entity_map = self._entities(source, bundle, system_map)
            round_map = self._rounds(bundle)
            pairings += pairing_import.mapped(source, bundle, entity_map, round_map)
            for fw in bundle.frameworks:
                known = self.frameworks.get((fw.key, fw.version))
                if known is None:
                    self.frameworks[(fw.key, fw.version)] = fw
                    self.new_frameworks.append(fw)
                elif spec_from_framework(known) != spec_from_framework(fw):
                    skipped.append(
                        f"framework  {fw.title}: {_file_name(source)} carries different content "
                        "under the same key and version; the copy here is kept and used"
                    )
            for i, rec in enumerate(bundle.records):
                where = f"{source}: assessments[{i}]"
                rec = self._checked(where, rec, entity_map, round_map)
                # The hash ignores entity and round ids, so the reader's holds after mapping.
                digest = bundle.hashes.get(rec.assessment.id) or content_hash(rec)
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
                body = bundle.bodies.get(aid)
                if body is not None and aid in bundle.hashes:
                    bodies[aid] = body
                ancestry = frozenset(bundle.ancestry.get(aid, ()))
                incoming.append((source, i, rec, digest, ancestry))
        ids = [rec.assessment.id for _, _, rec, _, _ in incoming]
        local = repo.get_records(self.s, ids)
        self._check_moves(incoming, local)
        self._check_reviews(incoming, local)
        local_ancestry = repo.sync_hashes(self.s, ids)
        local_bases = sync_base.base_hashes(self.s, [i for i in ids if i in local])
        items = []
        for source, i, rec, digest, ancestry in incoming:
            aid = rec.assessment.id
            mine = local.get(aid)
            mine_hash = _local_hash(mine, rec, digest) if mine else None
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
                    local_bases=tuple(local_bases.get(aid, ())),
                    body=bodies.get(aid),
                )
            )
        items = self._merge_fields(items, local)
        new_feedback = self._new_feedback(incoming, skipped)
        return ImportPlan(
            files=self.files,
            items=tuple(items),
            new_frameworks=tuple(self.new_frameworks),
            new_systems=tuple(self.new_systems),
            new_entities=tuple(self.new_entities),
            new_rounds=tuple(self.new_rounds),
            skipped=tuple(skipped),
            pairings=pairing_import.plan_pairings(self.s, pairings, self.entities, self.rounds),
            new_feedback=new_feedback,
        )

    def _new_feedback(
        self, incoming: list[Incoming], skipped: list[str]
    ) -> tuple[tuple[Feedback, str, str], ...]:
        """Return the files' feedback on the matrix this database has never seen.

        Feedback keeps its id: one already here (or earlier in this import) is kept as it
        is, never overwritten; one never seen arrives as new, with its assessment.
        """
        refs = {
            rec.assessment.id: (rec.assessment.framework_key, rec.assessment.framework_version)
            for _source, _i, rec, _digest, _ancestry in incoming
        }
        carried = [(source, fb) for source, bundle in self.files for fb in bundle.feedback]
        if not carried:
            return ()
        known = feedback_repo.feedback_ids(self.s, [fb.id for _source, fb in carried])
        out: list[tuple[Feedback, str, str]] = []
        for _source, fb in carried:
            if fb.id in known:
                continue
            ref = refs.get(fb.assessment_id)
            if ref is None:  # its assessment was skipped as a repeat of another file's
                continue
            known.add(fb.id)
            out.append((fb, *ref))
        if out:
            skipped.append(f"feedback    {len(out)} new on the matrix")
        return tuple(out)

    def _merge_fields(
        self, items: list[PlannedAssessment], local: dict[str, AssessmentRecord]
    ) -> list[PlannedAssessment]:
        """Merge field by field every assessment changed on both sides that has a base.

        The base is the newest one kept here whose hash is in the file's ancestry: content
        both copies held. Only these few assessments read a stored base's content.
        """
        wanted: dict[str, str] = {}
        for item in items:
            if item.outcome is Outcome.CONFLICT:
                shared = item.ancestry | {item.content_hash}
                shared_base = next((h for h in item.local_bases if h in shared), None)
                if shared_base is not None:
                    wanted[item.assessment_id] = shared_base
        contents = sync_base.base_contents(self.s, wanted.items()) if wanted else {}
        out = []
        for item in items:
            if item.outcome is not Outcome.CONFLICT:
                out.append(item)
                continue
            aid = item.assessment_id
            text = contents.get((aid, wanted.get(aid, "")))
            if text is None:
                why = BASE_NOT_SHARED if item.local_bases else NO_BASE
                out.append(replace(item, reason=f"{item.reason}; {why}"))
                continue
            try:
                base = record_from_content(text, _BASE_ID, _BASE_ID, _BASE_STAMP)
            except ValueError:
                out.append(replace(item, reason=f"{item.reason}; {NO_BASE}"))
                continue
            mine = local[aid]
            if identity_differs(base, item.record, mine):
                out.append(replace(item, reason=f"{item.reason}; {IDENTITY_DIFFERS}"))
                continue
            a = mine.assessment
            fw = self.frameworks.get((a.framework_key, a.framework_version))
            titles = {d.key: d.title for d in fw.domains} if fw else {}
            merge = merge_records(base, item.record, mine, titles)
            if merge.finalised_while_edited:
                out.append(replace(item, reason=f"{item.reason}; {FINALISED_WHILE_EDITED}"))
                continue
            outcome = Outcome.CONFLICT if merge.conflicts else Outcome.MERGED
            reason = f"{item.reason}; merged field by field: {merge.describe()}"
            dropped = merge.dropped_views()
            if dropped:
                reason += f"; {dropped} view(s) of participants removed on one side dropped"
            out.append(
                replace(item, outcome=outcome, reason=reason, base_hash=wanted[aid], merge=merge)
            )
        return out

    def _systems(self, source: str, bundle: Bundle) -> dict[str, str]:
        out = {}
        for x in bundle.systems:
            if x.id in self.systems:
                out[x.id] = x.id
            elif name_key(x.name) in self.system_names:
                out[x.id] = self.system_names[name_key(x.name)]
            else:
                self.systems[x.id] = x
                self.system_names[name_key(x.name)] = x.id
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
            elif (sid, name_key(e.name)) in self.entity_names:
                out[e.id] = self.entity_names[(sid, name_key(e.name))]
            else:
                entity = Entity(e.id, sid, e.name, e.kind, e.members)
                self.entities[e.id] = entity
                self.entity_names[(sid, name_key(e.name))] = e.id
                self.new_entities.append(entity)
                out[e.id] = e.id
        return out

    def _rounds(self, bundle: Bundle) -> dict[str, str]:
        out = {}
        for r in bundle.rounds:
            if r.id in self.rounds:
                out[r.id] = r.id
            elif name_key(r.name) in self.round_names:
                out[r.id] = self.round_names[name_key(r.name)]
            else:
                self.rounds[r.id] = r
                self.round_names[name_key(r.name)] = r.id
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
                f"{where}.entity_id: entity {a.entity_id} is neither in the file "
                "nor in this database"
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
            if r.target_stage is not None and not fw.has_stage(r.target_stage):
                stages = ", ".join(s.key for s in fw.stages)
                raise ExchangeError(
                    f"{at}.target_stage: {r.target_stage!r} is not a stage of {fw.title} "
                    f"(stages: {stages})"
                )
            # Text lengths and control characters were checked by the reader.
            if r.statements_met:
                valid = {st.id for st in fw.domain(r.domain_key).statements}
                for k, sid in enumerate(r.statements_met):
                    if sid not in valid:
                        raise ExchangeError(
                            f"{at}.statements_met[{k}]: {sid!r} is not a statement of "
                            f"'{fw.domain(r.domain_key).title}'"
                        )
        for j, v in enumerate(rec.votes):
            at = f"{where}.votes[{j}]"
            if not fw.has_domain(v.domain_key):
                raise ExchangeError(f"{at}.domain: {v.domain_key!r} is not a domain of {fw.title}")
            if not fw.has_stage(v.stage or ""):
                raise ExchangeError(f"{at}.stage: {v.stage!r} is not a stage of {fw.title}")
        if eid == a.entity_id and rid == a.round_id:
            return rec
        return AssessmentRecord(a.evolve(entity_id=eid, round_id=rid), rec.ratings, rec.votes)

    def _check_moves(self, incoming: list[Incoming], local: dict[str, AssessmentRecord]) -> None:
        # Take-theirs (or an update) must not move an assessment here to another entity,
        # round, framework or kind, nor a peer review to another self-assessment.
        for source, i, rec, _digest, _ancestry in incoming:
            mine = local.get(rec.assessment.id)
            moved = moved_field(mine.assessment, rec.assessment) if mine else None
            if mine is None or moved is None:
                continue
            name, what = moved
            here, there = (
                self._describe(name, getattr(a, name)) for a in (mine.assessment, rec.assessment)
            )
            raise ExchangeError(
                f"{source}: assessments[{i}].{name}: would move assessment "
                f"{rec.assessment.id} from {what} {here} to {there}; an import never moves an "
                "assessment to another entity, round, framework or kind"
            )

    def _describe(self, name: str, value: object) -> str:
        if name == "entity_id" and value in self.entities:
            return repr(self.entities[str(value)].name)
        if name == "round_id" and value in self.rounds:
            return repr(self.rounds[str(value)].name)
        return repr(str(value)) if value is not None else "(none)"

    def _check_reviews(self, incoming: list[Incoming], local: dict[str, AssessmentRecord]) -> None:
        # A peer review reviews a self-assessment of the same entity, round and framework
        # version, never another peer review: so no chain or cycle of reviews (which the
        # database's foreign key could not take) is imported.
        records = {r.assessment.id: r.assessment for r in local.values()}
        records.update((rec.assessment.id, rec.assessment) for _s, _i, rec, _d, _a in incoming)
        wanted = [
            rec.assessment.reviews_id
            for _s, _i, rec, _d, _a in incoming
            if rec.assessment.reviews_id and rec.assessment.reviews_id not in records
        ]
        if wanted:
            records.update((k, r.assessment) for k, r in repo.get_records(self.s, wanted).items())
        for source, i, rec, _digest, _ancestry in incoming:
            target_id = rec.assessment.reviews_id
            if not target_id:
                continue
            target = records.get(target_id)
            if target is None:
                raise ExchangeError(
                    f"{source}: assessments[{i}].reviews_id: the assessment it reviews "
                    f"({target_id}) is neither in the file nor in this database"
                )
            problem = review_problem(rec.assessment, target)
            if problem is not None:
                name, why = problem
                raise ExchangeError(f"{source}: assessments[{i}].{name}: {why}")

    def _label(self, rec: AssessmentRecord) -> str:
        a = rec.assessment
        entity = self.entities.get(a.entity_id)
        rnd = self.rounds.get(a.round_id)
        return ", ".join(
            (entity.name if entity else a.entity_id, rnd.name if rnd else a.round_id, a.kind.label)
        )


class Writer:
    """Writes a checked, decided plan inside one session (the caller's transaction)."""

    def __init__(self, session: Session, user: str, backup: Path | None):
        self.s = session
        self.user = user
        self.backup = backup
        self.now = utcnow()
        # A file's content that is not what this database ends up holding is recorded as a
        # base just before the result, so the result is the newer base of the two.
        self.earlier = _just_before(self.now)
        self.events: list[AuditEvent] = []
        # (id, hash) -> (content_body bytes, shared at): decoded only as they are written.
        self.bases: dict[tuple[str, str], tuple[bytes, str]] = {}

    def write(self, plan: ImportPlan, decisions: Decisions) -> tuple[list[str], dict[str, str]]:
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
        sync_rows: list[tuple[str, str]] = []
        # The assessments peer reviews point at go first (foreign keys are checked at once).
        items = sorted(plan.items, key=lambda i: i.record.assessment.reviews_id is not None)
        new = [i for i in items if i.outcome is Outcome.NEW]
        repo.insert_records(s, [i.record for i in new])
        for item in new:
            changed.append(item.assessment_id)
            self._audit(item.assessment_id, f"new from {_file_name(item.source)}")
        for item in items:
            aid = item.assessment_id
            where = f"from {_file_name(item.source)}"
            extra: set[str] = set()
            choice = decisions.whole.get(aid)
            merged_here = item.merge is not None and choice is not Resolution.KEEP_BOTH
            if item.outcome is Outcome.UPDATED:
                store.put_record(_over_local(item))
                changed.append(aid)
                self._audit(aid, f"updated {where}: {item.reason}{self._replaced(item)}")
            elif merged_here:
                result = self._merge(item, decisions, store, where)  # records its bases
                if result is not None:
                    changed.append(aid)
                    extra.add(result)
            elif item.outcome is Outcome.CONFLICT:
                assert choice is not None
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
            if item.takes_file_as_base and not merged_here:
                # New, updated, identical or taken whole: this database holds the file's
                # content now; otherwise (kept mine or both) it is the older shared base.
                held = item.outcome is not Outcome.CONFLICT or choice is Resolution.TAKE_THEIRS
                self._base(item, item.record, item.content_hash, self.now if held else None)
            sync_rows += [(aid, h) for h in sorted(item.new_sync_hashes | extra)]
        if plan.new_feedback:
            feedback_repo.insert_feedback(s, plan.new_feedback, self.now)
            per_assessment: dict[str, int] = {}
            for fb, _key, _version in plan.new_feedback:
                per_assessment[fb.assessment_id] = per_assessment.get(fb.assessment_id, 0) + 1
            for aid, n in per_assessment.items():
                self._audit(aid, f"{n} new feedback on the matrix from the file")
        repo.insert_sync_hashes(s, _not_known(sync_rows, plan), self.now)
        self._write_bases(plan)
        names = ", ".join(sorted({_file_name(src) for src, _ in plan.files}))
        self.events += pairing_import.write_pairings(s, plan.pairings, self.user, self.now, names)
        summary = f"{len(plan.files)} file(s) ({names}): {plan.summary()}"
        if self.backup:
            summary += f"; backup before import: {self.backup}"
        self._audit(None, summary)
        repo.append_audits(s, self.events)
        return changed, copies

    def _merge(
        self,
        item: PlannedAssessment,
        decisions: Decisions,
        store: repo.SqlAssessmentStore,
        where: str,
    ) -> str | None:
        """Write a field-level merge; returns the merged content's hash if it changed here."""
        assert item.merge is not None and item.local is not None
        aid = item.assessment_id
        choices = decisions.field_choices(item)
        merged = item.merge.record(choices, revision=item.local.revision + 1, modified_at=self.now)
        body = content_body(merged)
        digest = digest_of(body)
        verb = "merged" if item.outcome is Outcome.MERGED else "conflict"
        detail = f"{verb} {where} ({item.reason})"
        whole = decisions.whole.get(aid)
        if whole is not None:
            detail += f"; decision for the whole assessment: {whole.label}"
        if choices:
            detail += "; decisions: " + "; ".join(
                f"{c.label}: {choices[c.key].label}" for c in item.field_conflicts
            )
        held = digest == item.content_hash  # the file's content is what this database holds
        self._base(item, item.record, item.content_hash, self.now if held else None)
        if digest not in item.local_bases:
            self.bases.setdefault((aid, digest), (body, self.now))
        if digest == item.local_hash:
            self._audit(aid, detail + "; nothing here changed")
            return None
        store.put_record(merged)
        self._audit(aid, detail + self._replaced(item))
        return digest

    def _base(
        self, item: PlannedAssessment, record: AssessmentRecord, digest: str, at: str | None
    ) -> None:
        """Record a content as a base of the item's assessment (at None: just before now)."""
        if digest in item.local_bases or (item.assessment_id, digest) in self.bases:
            return
        body = item.body if digest == item.content_hash else None
        self.bases[(item.assessment_id, digest)] = (
            body if body is not None else content_body(record),
            at or self.earlier,
        )

    def _write_bases(self, plan: ImportPlan) -> None:
        if not self.bases:
            return
        rows = list(self.bases.items())
        for start in range(0, len(rows), _BASES_PER_INSERT):  # a few MB of text at a time
            sync_base.insert_bases(
                self.s,
                [
                    (a, h, body.decode("utf-8"), at)
                    for (a, h), (body, at) in rows[start : start + _BASES_PER_INSERT]
                ],
            )
        added: dict[str, list[tuple[str, str]]] = {}
        for (a, h), (_body, at) in rows:
            added.setdefault(a, []).append((at, h))
        known = {i.assessment_id: list(i.local_bases) for i in plan.items}
        over = {
            a: [h for _at, h in sorted(new, reverse=True)]
            for a, new in added.items()
            if len(new) + len(known.get(a, ())) > KEEP_BASES
        }
        if over:
            sync_base.prune_bases(self.s, known, over, KEEP_BASES)

    def _replaced(self, item: PlannedAssessment) -> str:
        if item.local is None:
            return ""
        where = f"; the backup {self.backup} holds it" if self.backup else ""
        return f"; replaced local revision {item.local.revision} ({item.local_hash}){where}"

    def _audit(self, assessment_id: str | None, detail: str) -> None:
        self.events.append(
            AuditEvent(None, self.now, self.user, "import", assessment_id, None, detail)
        )


def _just_before(stamp: str) -> str:
    """Return an ISO timestamp one microsecond before stamp (same format)."""
    when = _dt.datetime.fromisoformat(stamp) - _dt.timedelta(microseconds=1)
    return when.isoformat(timespec="microseconds")


def _not_known(rows: list[tuple[str, str]], plan: ImportPlan) -> list[tuple[str, str]]:
    """Return the (id, hash) rows not yet in the local ancestry, each once."""
    known = {i.assessment_id: i.local_ancestry for i in plan.items}
    out = []
    for aid, digest in dict.fromkeys(rows):
        if digest not in known.get(aid, ()):
            out.append((aid, digest))
    return out


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


def _local_hash(mine: AssessmentRecord, incoming: AssessmentRecord, digest: str) -> str:
    """Return the content hash of the local record (incoming has content hash digest).

    A repeated import mostly meets records identical to the local ones, field for field;
    those have the incoming hash without serialising and hashing the local copy again.
    """
    if mine.assessment == incoming.assessment and _sorted_parts(mine) == _sorted_parts(incoming):
        return digest
    return content_hash(mine)


def _sorted_parts(rec: AssessmentRecord) -> tuple[object, ...]:
    ratings = tuple(sorted(rec.ratings, key=lambda r: r.domain_key))
    votes = tuple(
        sorted(
            (v for v in rec.votes if v.stage is not None),
            key=lambda v: (v.domain_key, v.participant_id),
        )
    )
    return ratings, votes


def _file_name(source: str) -> str:
    return Path(source).name
