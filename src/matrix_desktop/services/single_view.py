"""The system's single view (everyone's latest final self-assessment) and an entity's progress."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from matrix_desktop.core.chart_models import Heatmap, RadarChart, Trend
from matrix_desktop.core.comparison import (
    AssessmentHead,
    DomainStanding,
    TagSummary,
    ThemeGroup,
    direction_of_travel,
    domain_standings,
    group_themes,
    mixed_versions_message,
    positions,
    rank_by_median,
    rank_by_spread,
    stage_name,
    tag_summaries,
)
from matrix_desktop.core.errors import NotFound, ValidationFailed
from matrix_desktop.core.framework import Framework, FrameworkRef
from matrix_desktop.core.model import AssessmentKind, Direction, Entity, Status, System
from matrix_desktop.core.plan import target_cell
from matrix_desktop.reports.models import DataTable
from matrix_desktop.services.catalog import CatalogService
from matrix_desktop.services.compare import ComparedItem, ComparisonGroup, Readiness
from matrix_desktop.services.files import write_atomically
from matrix_desktop.storage import views_repo
from matrix_desktop.storage.database import Database

Table = tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


@dataclass(frozen=True)
class SingleViewSection:
    """The entities whose latest final self-assessment uses one framework version."""

    group: ComparisonGroup
    standings: tuple[DomainStanding, ...]
    themes: tuple[ThemeGroup, ...]
    # {assessment id: {domain key: (target stage, target date)}}: each entity's targets.
    targets: Mapping[str, Mapping[str, tuple[str, str | None]]] = field(default_factory=dict)

    def target_text(self, item: ComparedItem) -> str:
        """Return an entity's targets and the distance to each, as the heatmap's last column."""
        fw = self.framework
        mine = self.targets.get(item.head.id, {})
        parts = []
        for key, position in zip(self.group.domain_keys, item.positions, strict=True):
            if key not in mine or not fw.has_stage(mine[key][0]):
                continue
            stage, date = mine[key]
            distance = None if position is None else fw.stage(stage).position - position
            cell = target_cell(fw.stage(stage).name, distance, date)
            parts.append(f"{fw.domain(key).title}: {cell}")
        return "; ".join(parts)

    @property
    def framework(self) -> Framework:
        return self.group.framework

    @property
    def by_median(self) -> tuple[DomainStanding, ...]:
        """Domains most mature first."""
        return rank_by_median(self.standings)

    @property
    def by_spread(self) -> tuple[DomainStanding, ...]:
        """Domains where entities differ most first."""
        return rank_by_spread(self.standings)

    @property
    def tags(self) -> tuple[TagSummary, ...]:
        return tag_summaries(self.themes)

    def heatmap(self, title: str = "") -> Heatmap:
        return self.group.heatmap(title)

    def radar(self, title: str = "") -> RadarChart:
        return self.group.radar(title)

    def readiness(self, threshold: str | None = None) -> tuple[Readiness, ...]:
        """Return each entity's readiness (ValidationFailed if no threshold is known)."""
        return self.group.readiness(threshold)

    def tables(self, threshold: str | None = None) -> dict[str, Table]:
        """Return every part of the view as (headers, rows) of text, for export."""
        fw = self.framework
        heat_headers, heat_rows = self.group.table()
        heat_headers = (*heat_headers, "Targets (distance)")
        heat_rows = tuple(
            (*row, self.target_text(item))
            for row, item in zip(heat_rows, self.group.items, strict=True)
        )
        ranking = tuple(
            (
                str(rank),
                s.title,
                str(s.assessed),
                _fmt(s.median),
                stage_name(fw, s.median),
                stage_name(fw, s.low),
                stage_name(fw, s.high),
                _fmt(s.spread),
            )
            for rank, s in enumerate(self.by_median, start=1)
        )
        rank_headers = (
            "Rank",
            "Domain",
            "Entities assessed",
            "Median position",
            "Median stage",
            "Lowest",
            "Highest",
            "Spread (stages)",
        )
        themes = tuple(
            (
                t.domain_title,
                t.kind_label,
                t.text,
                ", ".join(t.tags),
                str(t.count),
                "; ".join(t.entities),
            )
            for t in self.themes
        )
        theme_headers = ("Domain", "Kind", "Theme", "Tags", "Count", "Raised by")
        tags = tuple(
            (
                "Key enabler" if t.kind == "enabler" else "Request for support",
                t.tag,
                str(t.count),
                "; ".join(t.entities),
                "; ".join(t.domains),
            )
            for t in self.tags
        )
        out: dict[str, Table] = {
            "Heatmap": (heat_headers, heat_rows),
            "Domains ranked": (rank_headers, ranking),
            "Themes": (theme_headers, themes),
            "Tags": (("Kind", "Tag", "Count", "Raised by", "Domains"), tags),
        }
        if threshold or fw.threshold_stage:
            rows = tuple(
                (r.label, str(r.count), str(r.total), "; ".join(r.below))
                for r in self.readiness(threshold)
            )
            out["Readiness"] = (("Entity", "At or above threshold", "Domains", "Below"), rows)
        return out


@dataclass(frozen=True)
class SingleView:
    """A system's single view: one section per framework version in use."""

    system: System
    sections: tuple[SingleViewSection, ...]
    not_assessed: tuple[str, ...]  # entities with no final self-assessment yet

    @property
    def message(self) -> str:
        """What users should know beyond the figures ('' when nothing)."""
        notes = []
        if len(self.sections) > 1:
            notes.append(
                mixed_versions_message(
                    (s.framework.ref for s in self.sections),
                    "The latest assessments of this system's entities",
                )
                + " Each version is shown on its own."
            )
        if self.not_assessed:
            notes.append("No final self-assessment yet: " + ", ".join(self.not_assessed) + ".")
        return " ".join(notes)

    @property
    def main(self) -> SingleViewSection:
        """Return the section covering the most entities; ValidationFailed if there is none."""
        if not self.sections:
            raise ValidationFailed(f"{self.system.name} has no final self-assessments yet.")
        return max(self.sections, key=lambda s: len(s.group.items))


@dataclass(frozen=True)
class DomainProgress:
    """One domain's stage in every round, and the direction of travel between the last two."""

    domain_key: str
    title: str
    positions: tuple[int | None, ...]
    direction: Direction | None


@dataclass(frozen=True)
class Progress:
    """An entity's self-assessments round by round against one framework version."""

    entity: Entity
    framework: Framework
    rounds: tuple[str, ...]
    statuses: tuple[Status, ...]
    domains: tuple[DomainProgress, ...]
    excluded: tuple[str, ...]  # rounds assessed against another framework version
    # Rounds with more than one self-assessment: (round, how many, title of the one shown).
    doubled: tuple[tuple[str, int, str], ...] = ()
    shown_ids: tuple[str, ...] = ()  # the assessment shown for each round, in round order

    @property
    def message(self) -> str:
        notes = [
            f"{rnd} has {n} self-assessments; shown is “{title}” (final, else the most scored)."
            for rnd, n, title in self.doubled
        ]
        if self.excluded:
            notes.append(
                f"Rounds {', '.join(self.excluded)} used another framework version and are "
                f"not shown; only {self.framework.title} is compared round by round."
            )
        return " ".join(notes)

    def trend(self, title: str = "") -> Trend:
        return Trend(
            title=title or f"{self.entity.name}: progress",
            rounds=self.rounds,
            domains=tuple(d.title for d in self.domains),
            stages=tuple(s.name for s in self.framework.stages),
            values=tuple(d.positions for d in self.domains),
        )

    def counts(self) -> Counter[Direction | None]:
        return Counter(d.direction for d in self.domains)


class SingleViewService:
    """Builds the single view of a system and the progress of an entity."""

    def __init__(self, db: Database, catalog: CatalogService):
        self.db = db
        self.catalog = catalog

    def single_view(self, system_id: str, up_to_round_id: str | None = None) -> SingleView:
        """Return the single view of a system from each entity's latest final self-assessment.

        With up_to_round_id, only rounds up to and including that one count (the view as
        it stood then).
        """
        # One read for all of it (on a server one pipeline: a single round trip).
        with self.db.reader() as s:
            data = views_repo.single_view_data(s, system_id, up_to_round_id)
        system, entities, chosen = data.system, data.entity_names, data.chosen
        stages, raised, targets = data.stages, data.raised, data.targets
        by_version: dict[FrameworkRef, list[AssessmentHead]] = {}
        for h in chosen:
            by_version.setdefault(h.framework, []).append(h)
        sections = []
        for ref, members in by_version.items():
            fw = self.catalog.framework(ref.key, ref.version)
            kinds = {h.entity_kind for h in members}
            keys = tuple(d.key for d in fw.domains if any(d.applies(k) for k in kinds))
            items = tuple(
                ComparedItem(h, h.entity_name, positions(fw, keys, stages[h.id])) for h in members
            )
            names = {h.id: h.entity_name for h in members}
            mine = [r for r in raised if r.entity_name in set(names.values())]
            sections.append(
                SingleViewSection(
                    group=ComparisonGroup(fw, keys, items),
                    standings=domain_standings(fw, keys, (i.positions for i in items)),
                    themes=group_themes(fw, mine),
                    targets={h.id: targets[h.id] for h in members if h.id in targets},
                )
            )
        assessed = {h.entity_name for h in chosen}
        return SingleView(system, tuple(sections), tuple(n for n in entities if n not in assessed))

    def progress(self, entity_id: str, *, final_only: bool = False) -> Progress:
        """Return every round's self-assessed stages for an entity against its latest version."""
        entity = self.catalog.entity(entity_id)
        with self.db.reader() as s:
            heads = views_repo.list_heads(
                s,
                entity_ids=[entity_id],
                kind=AssessmentKind.SELF_ASSESSMENT,
                status=Status.FINAL if final_only else None,
            )
            stages = views_repo.stages_of(s, [h.id for h in heads])
            # Two self-assessments of one round (a second one started by mistake, say): show
            # the final one, else the most scored, else the latest made (heads come in order).
            per_round: dict[str, tuple[tuple[bool, int, int], AssessmentHead]] = {}
            for order, h in enumerate(heads):
                scored = sum(1 for stage in stages[h.id].values() if stage)
                rank = (h.is_final, scored, order)
                if h.round_id not in per_round or rank > per_round[h.round_id][0]:
                    per_round[h.round_id] = (rank, h)
            ordered = sorted((h for _, h in per_round.values()), key=lambda h: h.round_sequence)
            if not ordered:
                raise NotFound(f"{entity.name} has no self-assessments yet.")
            ref = ordered[-1].framework
            kept = [h for h in ordered if h.framework == ref]
            per_round_count = Counter(h.round_id for h in heads)
        fw = self.catalog.framework(ref.key, ref.version)
        keys = tuple(d.key for d in fw.domains_for(entity.kind))
        grid = [positions(fw, keys, stages[h.id]) for h in kept]
        domains = tuple(
            DomainProgress(
                k,
                fw.domain(k).title,
                tuple(row[i] for row in grid),
                direction_of_travel([row[i] for row in grid]),
            )
            for i, k in enumerate(keys)
        )
        return Progress(
            entity=entity,
            framework=fw,
            rounds=tuple(h.round_name for h in kept),
            statuses=tuple(h.status for h in kept),
            domains=domains,
            excluded=tuple(h.round_name for h in ordered if h.framework != ref),
            doubled=tuple(
                (h.round_name, per_round_count[h.round_id], h.title)
                for h in kept
                if per_round_count[h.round_id] > 1
            ),
            shown_ids=tuple(h.id for h in kept),
        )


def export_xlsx(
    section: SingleViewSection,
    path: str | Path,
    threshold: str | None = None,
    extra: Sequence[DataTable] = (),
) -> Path:
    """Write every table of a single-view section to one spreadsheet; returns the path.

    extra: more sheets after the section's (the help matched to need and the pairings).
    Written by the data export's writer: user text that looks like a formula ("=...",
    "+...", "@...") stays text, never a formula the spreadsheet would run.
    """
    from matrix_desktop.reports.data_export import to_xlsx

    tables = [
        DataTable(name, tuple(headers), tuple(tuple(row) for row in rows))
        for name, (headers, rows) in section.tables(threshold).items()
    ] + list(extra)
    target = Path(path)
    write_atomically(target, to_xlsx(tables))
    return target
