"""Compare any set of assessments domain by domain: radar, heatmap, table and readiness."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from matrix_desktop.core.chart_models import (
    Heatmap,
    HeatmapRow,
    RadarChart,
    RadarSeries,
    radar_for,
)
from matrix_desktop.core.comparison import AssessmentHead, mixed_versions_message, positions
from matrix_desktop.core.comparison import stage_name as _stage_name
from matrix_desktop.core.errors import ValidationFailed
from matrix_desktop.core.framework import EntityKind, Framework, FrameworkRef
from matrix_desktop.core.model import AssessmentKind, Status
from matrix_desktop.core.rules import readiness as _readiness
from matrix_desktop.services.catalog import CatalogService
from matrix_desktop.storage import views_repo
from matrix_desktop.storage.database import Database


@dataclass(frozen=True)
class CompareFilter:
    """Which assessments a comparison may choose from; None means any."""

    system_id: str | None = None
    entity_kind: EntityKind | None = None
    framework: FrameworkRef | None = None
    round_ids: tuple[str, ...] | None = None
    assessment_kind: AssessmentKind | None = AssessmentKind.SELF_ASSESSMENT
    final_only: bool = False


@dataclass(frozen=True)
class ComparedItem:
    """One assessment in a comparison, with its stage position per domain of the group."""

    head: AssessmentHead
    label: str
    positions: tuple[int | None, ...]


@dataclass(frozen=True)
class Readiness:
    """One entity's domains at or above the framework's threshold stage, and those below."""

    label: str
    entity_name: str
    threshold: str
    at_or_above: tuple[str, ...]
    below: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.at_or_above)

    @property
    def total(self) -> int:
        return len(self.at_or_above) + len(self.below)

    @property
    def summary(self) -> str:
        return f"{self.count} of {self.total} domains at {self.threshold} or above"


@dataclass(frozen=True)
class ComparisonGroup:
    """Assessments against one framework version, so their domains line up."""

    framework: Framework
    domain_keys: tuple[str, ...]
    items: tuple[ComparedItem, ...]

    @property
    def domain_titles(self) -> tuple[str, ...]:
        return tuple(self.framework.domain(k).title for k in self.domain_keys)

    @property
    def stage_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.framework.stages)

    def radar(self, title: str = "") -> RadarChart:
        """Return the overlaid radar of every item in the group."""
        return radar_for(
            self.framework,
            self.domain_titles,
            (RadarSeries(i.label, i.positions) for i in self.items),
            title=title or self.framework.title,
        )

    def heatmap(self, title: str = "") -> Heatmap:
        """Return items by domains, grouped by entity kind."""
        return Heatmap(
            title=title or self.framework.title,
            domains=self.domain_titles,
            rows=tuple(
                HeatmapRow(i.label, i.head.entity_kind.label, i.positions) for i in self.items
            ),
            stages=self.stage_names,
        )

    def table(self) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
        """Return (headers, rows) of stage names: one row per item, one column per domain."""
        headers = ("Assessment", "Round", "Status", *self.domain_titles)
        rows = tuple(
            (
                i.label,
                i.head.round_name,
                i.head.status.value.capitalize(),
                *(_stage_name(self.framework, p) for p in i.positions),
            )
            for i in self.items
        )
        return headers, rows

    def readiness(self, threshold: str | None = None) -> tuple[Readiness, ...]:
        """Return each item's readiness against the framework's threshold (or the stage given).

        Raises ValidationFailed when the framework has no threshold and none is given.
        """
        return readiness_rows(self.framework, self.domain_keys, self.items, threshold)


def readiness_rows(
    framework: Framework,
    domain_keys: Sequence[str],
    items: Iterable[ComparedItem],
    threshold: str | None = None,
) -> tuple[Readiness, ...]:
    """Return readiness per item against a threshold stage (the framework's unless given)."""
    key = threshold or framework.threshold_stage
    if key is None:
        raise ValidationFailed(
            f"{framework.title} has no threshold stage; "
            "choose the stage to measure readiness against."
        )
    if not framework.has_stage(key):
        raise ValidationFailed(f"{key!r} is not a stage of {framework.title}.")
    fw = framework if key == framework.threshold_stage else _with_threshold(framework, key)
    out = []
    for item in items:
        stages = {
            k: (fw.stage_at(p).key if p is not None else None)
            for k, p in zip(domain_keys, item.positions, strict=True)
        }
        at, below = _readiness(fw, stages)
        wanted = set(domain_keys)
        out.append(
            Readiness(
                label=item.label,
                entity_name=item.head.entity_name,
                threshold=fw.stage(key).name,
                at_or_above=tuple(fw.domain(k).title for k in at if k in wanted),
                below=tuple(fw.domain(k).title for k in below if k in wanted),
            )
        )
    return tuple(out)


def _with_threshold(framework: Framework, stage_key: str) -> Framework:
    return dataclasses.replace(
        framework,
        threshold_stage=stage_key,
        threshold_label=None,
    )


@dataclass(frozen=True)
class Comparison:
    """Assessments grouped by framework version; domain by domain only within one group."""

    groups: tuple[ComparisonGroup, ...]

    @property
    def comparable(self) -> bool:
        return len(self.groups) == 1

    @property
    def message(self) -> str:
        """Why the assessments cannot be compared domain by domain ('' when they can)."""
        if not self.groups:
            return "Nothing to compare: choose at least one assessment."
        if len(self.groups) > 1:
            return mixed_versions_message(g.framework.ref for g in self.groups)
        return ""

    @property
    def items(self) -> tuple[ComparedItem, ...]:
        return tuple(i for g in self.groups for i in g.items)

    def group(self) -> ComparisonGroup:
        """Return the one group; ValidationFailed (saying why) when versions differ or none."""
        if not self.comparable:
            raise ValidationFailed(self.message)
        return self.groups[0]

    def radar(self, title: str = "") -> RadarChart:
        return self.group().radar(title)

    def heatmap(self, title: str = "") -> Heatmap:
        return self.group().heatmap(title)

    def table(self) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
        return self.group().table()


def _labels(heads: Sequence[AssessmentHead]) -> list[str]:
    one_round = len({h.round_id for h in heads}) == 1
    one_entity = len({h.entity_id for h in heads}) == 1
    labels = []
    for h in heads:
        if one_entity and not one_round:
            text = h.round_name
        elif one_round and not one_entity:
            text = h.entity_name
        else:
            text = f"{h.entity_name}, {h.round_name}"
        if h.kind is AssessmentKind.PEER_REVIEW:
            text += " (peer review)"
        labels.append(text)
    seen: dict[str, int] = {}
    out = []
    for text in labels:
        seen[text] = seen.get(text, 0) + 1
        out.append(text if seen[text] == 1 else f"{text} ({seen[text]})")
    return out


class CompareService:
    """Chooses assessments by entity, round, kind and framework version, and compares them."""

    def __init__(self, db: Database, catalog: CatalogService):
        self.db = db
        self.catalog = catalog

    def candidates(self, where: CompareFilter = CompareFilter()) -> list[AssessmentHead]:
        """Return the assessments a comparison can choose from, by entity then round."""
        with self.db.reader() as s:
            return views_repo.list_heads(
                s,
                system_id=where.system_id,
                round_ids=where.round_ids,
                kind=where.assessment_kind,
                status=Status.FINAL if where.final_only else None,
                entity_kind=where.entity_kind,
                framework=where.framework,
            )

    def compare(self, assessment_ids: Sequence[str]) -> Comparison:
        """Return the comparison of these assessments, in the order given."""
        ids = list(dict.fromkeys(assessment_ids))
        with self.db.reader() as s:
            found = {h.id: h for h in views_repo.list_heads(s, assessment_ids=ids)}
            missing = [i for i in ids if i not in found]
            if missing:
                raise ValidationFailed(f"no assessment with id {missing[0]}")
            stages = views_repo.stages_of(s, ids)
        return self._build([found[i] for i in ids], stages)

    def compare_entities(
        self,
        entity_ids: Sequence[str],
        round_ids: Sequence[str] | None = None,
        where: CompareFilter = CompareFilter(),
    ) -> Comparison:
        """Return the comparison of these entities in these rounds (all rounds if None).

        Where an entity has several matching assessments in one round, the final one (then
        the latest made) stands for it.
        """
        rounds = tuple(round_ids) if round_ids is not None else where.round_ids
        with self.db.reader() as s:
            heads = views_repo.list_heads(
                s,
                entity_ids=list(entity_ids),
                round_ids=rounds,
                kind=where.assessment_kind,
                status=Status.FINAL if where.final_only else None,
                entity_kind=where.entity_kind,
                framework=where.framework,
            )
            chosen: dict[tuple[str, str], AssessmentHead] = {}
            for h in heads:  # ordered by creation within a round, so later wins ties
                key = (h.entity_id, h.round_id)
                if key not in chosen or h.is_final or not chosen[key].is_final:
                    chosen[key] = h
            order = {e: i for i, e in enumerate(entity_ids)}
            picked = sorted(
                chosen.values(), key=lambda h: (order.get(h.entity_id, 0), h.round_sequence)
            )
            stages = views_repo.stages_of(s, [h.id for h in picked])
        return self._build(picked, stages)

    def _build(
        self, heads: Sequence[AssessmentHead], stages: dict[str, dict[str, str | None]]
    ) -> Comparison:
        labels = dict(zip((h.id for h in heads), _labels(heads), strict=True))
        by_version: dict[FrameworkRef, list[AssessmentHead]] = {}
        for h in heads:
            by_version.setdefault(h.framework, []).append(h)
        groups = []
        for ref, members in by_version.items():
            fw = self.catalog.framework(ref.key, ref.version)
            kinds = {h.entity_kind for h in members}
            keys = tuple(d.key for d in fw.domains if any(d.applies(k) for k in kinds))
            items = tuple(
                ComparedItem(h, labels[h.id], positions(fw, keys, stages.get(h.id, {})))
                for h in members
            )
            groups.append(ComparisonGroup(fw, keys, items))
        return Comparison(tuple(groups))
