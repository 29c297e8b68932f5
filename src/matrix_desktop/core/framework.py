"""Frameworks as data: domains in order, stages in order, descriptor statements, threshold."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class EntityKind(StrEnum):
    """What kind of partnership is assessed."""

    INTEGRATED_CARE_SYSTEM = "integrated_care_system"
    PLACE_PARTNERSHIP = "place_partnership"
    PROVIDER_COLLABORATIVE = "provider_collaborative"

    @property
    def label(self) -> str:
        return {
            EntityKind.INTEGRATED_CARE_SYSTEM: "Integrated care system",
            EntityKind.PLACE_PARTNERSHIP: "Place partnership",
            EntityKind.PROVIDER_COLLABORATIVE: "Provider collaborative",
        }[self]


@dataclass(frozen=True)
class Stage:
    """One stage of a framework's scale (e.g. Maturing), with its position from 1."""

    key: str
    name: str
    position: int
    description: str | None = None


@dataclass(frozen=True)
class Statement:
    """One descriptor statement of a domain at a stage; its id is stable within a version."""

    id: str
    domain_key: str
    stage_key: str
    text: str


@dataclass(frozen=True)
class Domain:
    """One domain (key area) of a framework with its descriptor statements per stage."""

    key: str
    title: str
    number: int
    statements: tuple[Statement, ...]
    applies_to: tuple[EntityKind, ...] | None = None
    summary: str | None = None

    def statements_for(self, stage_key: str) -> tuple[Statement, ...]:
        """Return the statements published for one stage (empty if none)."""
        return tuple(s for s in self.statements if s.stage_key == stage_key)

    def applies(self, kind: EntityKind | str) -> bool:
        """Return True if this domain is assessed for entities of this kind."""
        return self.applies_to is None or EntityKind(kind) in self.applies_to


@dataclass(frozen=True)
class SupportingSection:
    """Supporting text kept with a framework but not scored (e.g. ICS system progression)."""

    key: str
    title: str
    statements: tuple[Statement, ...]


@dataclass(frozen=True)
class FrameworkRef:
    """Identifies one version of a framework."""

    key: str
    version: str

    def __str__(self) -> str:
        return f"{self.key}@{self.version}"


@dataclass(frozen=True)
class Framework:
    """One version of a published maturity matrix."""

    key: str
    version: str
    name: str
    publisher: str
    published: str
    source: str
    stages: tuple[Stage, ...]
    domains: tuple[Domain, ...]
    applies_to: tuple[EntityKind, ...]
    threshold_stage: str | None = None
    threshold_label: str | None = None
    description: str | None = None
    supporting: tuple[SupportingSection, ...] = ()
    notes: tuple[str, ...] = ()
    # init=False: dataclasses.replace() must build fresh indexes, never share (and overwrite)
    # the original framework's.
    _stage_index: dict[str, Stage] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )
    _domain_index: dict[str, Domain] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        self._stage_index.update({s.key: s for s in self.stages})
        self._domain_index.update({d.key: d for d in self.domains})

    @property
    def ref(self) -> FrameworkRef:
        return FrameworkRef(self.key, self.version)

    @property
    def title(self) -> str:
        """Return the name with its version, as users see it."""
        return f"{self.name} ({self.version})"

    def stage(self, key: str) -> Stage:
        """Return the stage with this key; KeyError names the framework if unknown."""
        try:
            return self._stage_index[key]
        except KeyError:
            raise KeyError(f"stage {key!r} is not a stage of {self.title}") from None

    def has_stage(self, key: str) -> bool:
        return key in self._stage_index

    def domain(self, key: str) -> Domain:
        """Return the domain with this key; KeyError names the framework if unknown."""
        try:
            return self._domain_index[key]
        except KeyError:
            raise KeyError(f"domain {key!r} is not a domain of {self.title}") from None

    def has_domain(self, key: str) -> bool:
        return key in self._domain_index

    def stage_position(self, key: str | None) -> int | None:
        """Return the 1-based position of a stage key, or None for not assessed."""
        return None if key is None else self.stage(key).position

    def stage_at(self, position: int) -> Stage:
        """Return the stage at a 1-based position."""
        if not 1 <= position <= len(self.stages):
            raise IndexError(f"{self.title} has stages 1 to {len(self.stages)}, not {position}")
        return self.stages[position - 1]

    @property
    def threshold_position(self) -> int | None:
        return self.stage_position(self.threshold_stage)

    def domains_for(self, kind: EntityKind | str) -> tuple[Domain, ...]:
        """Return the domains assessed for an entity of this kind, in order."""
        return tuple(d for d in self.domains if d.applies(kind))

    def statement(self, statement_id: str) -> Statement:
        for d in self.domains:
            for s in d.statements:
                if s.id == statement_id:
                    return s
        raise KeyError(f"statement {statement_id!r} is not in {self.title}")
