"""The framework file format (YAML or JSON): a strict schema and conversion to core values."""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from matrix_desktop.core.datafile import Refused, load_json, load_yaml
from matrix_desktop.core.errors import FrameworkFileError
from matrix_desktop.core.framework import (
    Domain,
    EntityKind,
    Framework,
    Stage,
    Statement,
    SupportingSection,
)
from matrix_desktop.core.rules import find_bad_character

FORMAT_VERSION = 1
_KEY = r"^[a-z0-9][a-z0-9_\-]{0,79}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class StageSpec(_Strict):
    key: str = Field(pattern=_KEY)
    name: str = Field(min_length=1, max_length=80)
    description: str | None = Field(default=None, max_length=2000)


class ThresholdSpec(_Strict):
    stage: str = Field(pattern=_KEY)
    label: str | None = Field(default=None, max_length=200)


class DomainSpec(_Strict):
    key: str = Field(pattern=_KEY)
    title: str = Field(min_length=1, max_length=300)
    number: int | None = Field(default=None, ge=0, le=999)
    applies_to: list[EntityKind] | None = None
    summary: str | None = Field(default=None, max_length=5000)
    descriptors: dict[str, list[str]]

    @field_validator("descriptors")
    @classmethod
    def _texts(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for stage, texts in value.items():
            for i, text in enumerate(texts):
                if not text.strip():
                    raise ValueError(f"statement {i + 1} of stage {stage!r} is empty")
                if len(text) > 5000:
                    raise ValueError(f"statement {i + 1} of stage {stage!r} is too long")
        return value


class SupportingSpec(_Strict):
    key: str = Field(pattern=_KEY)
    title: str = Field(min_length=1, max_length=300)
    descriptors: dict[str, list[str]]


# The maturity stages every published matrix uses, in their published order.
PUBLISHED_STAGES = ("emerging", "developing", "maturing", "thriving")


def _published_stage(stage: StageSpec) -> str | None:
    """Return which published stage a stage is (by key, else by name), or None."""
    for text in (stage.key, stage.name):
        if text.strip().casefold() in PUBLISHED_STAGES:
            return text.strip().casefold()
    return None


class FrameworkSpec(_Strict):
    """The schema of a framework file."""

    format: int
    key: str = Field(pattern=_KEY)
    version: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=300)
    publisher: str = Field(min_length=1, max_length=300)
    published: str
    source: str = Field(min_length=1, max_length=1000)
    description: str | None = Field(default=None, max_length=20000)
    applies_to: list[EntityKind] = Field(min_length=1)
    stages: list[StageSpec] = Field(min_length=2, max_length=10)
    threshold: ThresholdSpec | None = None
    domains: list[DomainSpec] = Field(min_length=1, max_length=100)
    supporting: list[SupportingSpec] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    @field_validator("format")
    @classmethod
    def _format(cls, value: int) -> int:
        if value != FORMAT_VERSION:
            raise ValueError(
                f"format {value} is not supported (this version reads format {FORMAT_VERSION})"
            )
        return value

    @field_validator("published")
    @classmethod
    def _date(cls, value: str) -> str:
        try:
            _dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a date in the form YYYY-MM-DD") from None
        return value

    @model_validator(mode="after")
    def _consistent(self) -> FrameworkSpec:
        stage_keys = [s.key for s in self.stages]
        if len(set(stage_keys)) != len(stage_keys):
            raise ValueError("stage keys must be unique")
        domain_keys = [d.key for d in self.domains]
        dupes = sorted({k for k in domain_keys if domain_keys.count(k) > 1})
        if dupes:
            raise ValueError(f"domain keys must be unique; repeated: {', '.join(dupes)}")
        if self.threshold is not None and self.threshold.stage not in stage_keys:
            raise ValueError(f"threshold stage {self.threshold.stage!r} is not one of the stages")
        sections: list[DomainSpec | SupportingSpec] = [*self.domains, *self.supporting]
        for section in sections:
            unknown = sorted(set(section.descriptors) - set(stage_keys))
            if unknown:
                raise ValueError(
                    f"{section.key}: descriptors for unknown stage(s) {', '.join(unknown)}"
                )
        for d in self.domains:
            if d.applies_to and not set(d.applies_to) <= set(self.applies_to):
                raise ValueError(f"{d.key}: applies_to must be a subset of the framework's")
        return self


def _statements(domain_key: str, descriptors: dict[str, list[str]], order: list[str]):
    out: list[Statement] = []
    for stage_key in order:
        for n, text in enumerate(descriptors.get(stage_key, []), start=1):
            out.append(Statement(f"{domain_key}.{stage_key}.{n}", domain_key, stage_key, text))
    return tuple(out)


def framework_from_spec(spec: FrameworkSpec) -> Framework:
    """Return the core Framework described by a validated spec."""
    order = [s.key for s in spec.stages]
    return Framework(
        key=spec.key,
        version=spec.version,
        name=spec.name,
        publisher=spec.publisher,
        published=spec.published,
        source=spec.source,
        description=spec.description,
        applies_to=tuple(spec.applies_to),
        stages=tuple(
            Stage(s.key, s.name, i, s.description) for i, s in enumerate(spec.stages, start=1)
        ),
        threshold_stage=spec.threshold.stage if spec.threshold else None,
        threshold_label=spec.threshold.label if spec.threshold else None,
        domains=tuple(
            Domain(
                key=d.key,
                title=d.title,
                number=d.number if d.number is not None else i,
                statements=_statements(d.key, d.descriptors, order),
                applies_to=tuple(d.applies_to) if d.applies_to else None,
                summary=d.summary,
            )
            for i, d in enumerate(spec.domains, start=1)
        ),
        supporting=tuple(
            SupportingSection(s.key, s.title, _statements(s.key, s.descriptors, order))
            for s in spec.supporting
        ),
        notes=tuple(spec.notes),
    )


def spec_from_framework(fw: Framework) -> dict[str, Any]:
    """Return the plain-data (file format) form of a framework."""

    def descriptors(statements: tuple[Statement, ...]) -> dict[str, list[str]]:
        return {s.key: [st.text for st in statements if st.stage_key == s.key] for s in fw.stages}

    return {
        "format": FORMAT_VERSION,
        "key": fw.key,
        "version": fw.version,
        "name": fw.name,
        "publisher": fw.publisher,
        "published": fw.published,
        "source": fw.source,
        "description": fw.description,
        "applies_to": [k.value for k in fw.applies_to],
        "stages": [{"key": s.key, "name": s.name, "description": s.description} for s in fw.stages],
        "threshold": (
            {"stage": fw.threshold_stage, "label": fw.threshold_label}
            if fw.threshold_stage
            else None
        ),
        "domains": [
            {
                "key": d.key,
                "title": d.title,
                "number": d.number,
                "applies_to": [k.value for k in d.applies_to] if d.applies_to else None,
                "summary": d.summary,
                "descriptors": descriptors(d.statements),
            }
            for d in fw.domains
        ],
        "supporting": [
            {"key": s.key, "title": s.title, "descriptors": descriptors(s.statements)}
            for s in fw.supporting
        ],
        "notes": list(fw.notes),
    }


def describe_validation_error(exc: ValidationError) -> str:
    """Return pydantic errors as 'path: message' lines users can act on."""
    lines = []
    for err in exc.errors():
        path = ""
        for part in err["loc"]:
            path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
        msg = err["msg"].removeprefix("Value error, ")
        lines.append(f"{path or '(top level)'}: {msg}")
    return "\n".join(lines)


def _stage_order_problem(spec: FrameworkSpec) -> str | None:
    """Return what is wrong when the published stages are listed out of their order."""
    # The list's order is the stages' order (positions, charts, readiness); the known
    # stages out of their published order would turn every comparison upside down.
    known = [k for k in (_published_stage(s) for s in spec.stages) if k is not None]
    expected = [k for k in PUBLISHED_STAGES if k in known]
    if known == expected:
        return None
    return (
        f"stages: the stages are listed as {', '.join(known)}; their published order is "
        f"{', '.join(expected)}: list them in that order"
    )


def parse_framework(data: Any, source: str = "<data>", *, stored: bool = False) -> Framework:
    """Return the Framework in already-parsed file data; FrameworkFileError says what is wrong.

    stored: the data is this database's own copy, accepted when it came in; the stage-order
    rule (newer than some stored copies) is applied only to frameworks arriving from outside.
    """
    if not isinstance(data, dict):
        raise FrameworkFileError(source, "the file does not hold a framework (expected a mapping)")
    problem = find_bad_character(data)
    if problem:
        raise FrameworkFileError(source, problem)
    try:
        spec = FrameworkSpec.model_validate(data)
    except ValidationError as exc:
        raise FrameworkFileError(source, describe_validation_error(exc)) from None
    problem = None if stored else _stage_order_problem(spec)
    if problem:
        raise FrameworkFileError(source, problem)
    return framework_from_spec(spec)


_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def framework_file_name(fw: Framework) -> str:
    """Return a file name for a framework version."""
    return _SAFE_NAME.sub("_", f"{fw.key}_{fw.version}") + ".yaml"


def read_framework_file(path: Any) -> Framework:
    """Return the Framework in a YAML or JSON file; FrameworkFileError names file and problem."""
    import json
    from pathlib import Path

    import yaml

    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise FrameworkFileError(str(p), f"cannot be read ({exc.strerror})") from None
    if len(raw) > 5_000_000:
        raise FrameworkFileError(str(p), "is larger than 5 MB; a framework file is much smaller")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FrameworkFileError(str(p), f"is not UTF-8 text (byte {exc.start})") from None
    try:
        if p.suffix.lower() == ".json":
            data = load_json(text)
        else:
            data = load_yaml(text)
    except Refused as exc:
        raise FrameworkFileError(str(p), str(exc)) from None
    except json.JSONDecodeError as exc:
        raise FrameworkFileError(str(p), f"line {exc.lineno}: {exc.msg}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise FrameworkFileError(str(p), f"{where}{problem}") from None
    return parse_framework(data, str(p))
