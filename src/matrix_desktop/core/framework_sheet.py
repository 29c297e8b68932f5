"""Frameworks as spreadsheets: the published layout (a row per domain, a column per stage).

A workbook (or one CSV table) is read into plain `Sheet` values elsewhere (services); this
module turns them into the same plain data a YAML framework file holds and hands that to
core.framework_file.parse_framework, so a spreadsheet is checked by exactly the YAML rules.
Problems found here name the sheet, the row and the column.

Sheets, by name (case does not matter):
- "Framework" (optional): Field | Value rows (key, version, name, publisher, published,
  source, description, applies to, threshold, threshold label, and one "note" row a note).
- "Stages" (optional): Key | Name | Description, a row per stage in order.
- "Matrix" or "Statements" (or the only other sheet): the domains, either a row per domain
  with a column per stage, statements one per line in a cell ("matrix" layout), or a row
  per statement with Domain, Stage and Statement columns ("statements" layout).
- "Supporting" (optional): supporting text, not scored, in either layout.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from matrix_desktop.core.errors import FrameworkFileError
from matrix_desktop.core.framework import EntityKind, Framework
from matrix_desktop.core.framework_file import FORMAT_VERSION, parse_framework, spec_from_framework
from matrix_desktop.core.rules import bad_character

MAX_ROWS = 5_000  # far more than any matrix needs (the bundled ones have under 150 statements)
MAX_COLUMNS = 50
MAX_STATEMENT = 5_000  # the YAML rule (core.framework_file.DomainSpec)
MAX_CELL = 32_767  # Excel's own limit for one cell

# The columns of each layout, by the header texts users write (normalised, see _norm).
_NUMBER = {"number", "no", "no.", "#", "domain number"}
_KEY = {"key", "domain key", "section key"}
_TITLE = {"domain", "key area", "area", "section", "title", "domain title"}
_APPLIES = {"applies to", "applies_to"}
_SUMMARY = {"summary"}
_STAGE = {"stage"}
_TEXT = {"statement", "text", "descriptor", "statement text"}

_META_FIELDS = {
    "format": "format",
    "key": "key",
    "version": "version",
    "name": "name",
    "publisher": "publisher",
    "published": "published",
    "source": "source",
    "description": "description",
    "applies to": "applies_to",
    "applies_to": "applies_to",
    "threshold": "threshold",
    "threshold stage": "threshold",
    "threshold label": "threshold_label",
    "threshold_label": "threshold_label",
    "note": "note",
    "notes": "note",
}
# What a framework must have, and what a user can give instead of a "Framework" sheet.
REQUIRED_FIELDS = ("key", "version", "name", "publisher", "published", "applies_to")
_BULLET = re.compile(r"^[•▪·●◦‣]\s*")


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook (or a CSV table): its name and its cells as text, by row."""

    name: str
    rows: tuple[tuple[str | None, ...], ...]


def column_letter(index: int) -> str:
    """Return the spreadsheet letter of a 1-based column number (1 -> A, 27 -> AA)."""
    letters = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def where(sheet: str, row: int, column: int | None = None, header: str | None = None) -> str:
    """Return 'sheet 'S', row R, column C (Header)' as messages say it."""
    text = f"sheet {sheet!r}, row {row:,}"
    if column is not None:
        text += f", column {column_letter(column)}"
        if header:
            text += f" ({header})"
    return text


def _norm(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFKC", text or "").split()).casefold()


def slug(text: str, fallback: str) -> str:
    """Return a framework key made from a title ('Purpose and Vision' -> purpose_and_vision)."""
    value = re.sub(r"[^a-z0-9]+", "_", _norm(text)).strip("_")[:80]
    return value if value else fallback


def split_statements(cell: str | None) -> list[str]:
    """Return the statements in a cell, one per line (blank lines and bullets dropped)."""
    if not cell:
        return []
    lines = (_BULLET.sub("", line.strip()).strip() for line in cell.splitlines())
    return [line for line in lines if line]


def _cell(row: tuple[str | None, ...], column: int | None) -> str:
    """Return the text of a cell ('' when empty or beyond the row's end)."""
    if column is None or column >= len(row):
        return ""
    return row[column] or ""


@dataclass(frozen=True)
class _StageInfo:
    key: str
    name: str
    description: str | None


class _Reader:
    """Builds the file-format data of one framework from its sheets, naming every problem."""

    def __init__(self, source: str, given: Mapping[str, Any], bases: Mapping[str, Framework]):
        self.source = source
        self.given = {k: v for k, v in given.items() if v not in (None, "", [])}
        self.bases = bases
        self.base: Framework | None = None
        self.where_domain: dict[int, str] = {}

    def fail(self, problem: str) -> FrameworkFileError:
        return FrameworkFileError(self.source, problem)

    def check_text(self, text: str, place: str) -> None:
        problem = bad_character(text)
        if problem:
            raise self.fail(f"{place}: {problem}")

    # -- sheets ------------------------------------------------------------------------
    def pick(self, sheets: Sequence[Sheet]) -> dict[str, Sheet]:
        named: dict[str, Sheet] = {}
        others: list[Sheet] = []
        for sheet in sheets:
            if len(sheet.rows) > MAX_ROWS + 1:  # the header and MAX_ROWS rows under it
                raise self.fail(
                    f"{where(sheet.name, MAX_ROWS + 2, 1)}: a framework sheet has at most "
                    f"{MAX_ROWS:,} rows under its header; this one has {len(sheet.rows) - 1:,}"
                )
            role = _norm(sheet.name)
            if role in ("framework", "stages", "matrix", "statements", "supporting"):
                role = "domains" if role in ("matrix", "statements") else role
                if role in named:
                    raise self.fail(
                        f"sheet {sheet.name!r}: a second {role} sheet "
                        f"(the first is {named[role].name!r}); keep one"
                    )
                named[role] = sheet
            else:
                others.append(sheet)
        if "domains" not in named:
            if not others:
                raise self.fail(
                    "no sheet of domains: name one 'Matrix' (a row per domain, a column per "
                    "stage) or 'Statements' (a row per statement)"
                )
            if len(others) > 1:
                names = ", ".join(repr(s.name) for s in others)
                raise self.fail(
                    f"sheets {names}: which holds the domains? Name it 'Matrix' or "
                    "'Statements', or remove the others"
                )
            named["domains"] = others[0]
        elif others:
            raise self.fail(
                f"sheet {others[0].name!r} is not a framework sheet (expected Framework, "
                "Stages, Matrix or Statements, Supporting); remove it"
            )
        return named

    # -- the Framework sheet -----------------------------------------------------------
    def metadata(self, sheet: Sheet | None) -> dict[str, Any]:
        meta: dict[str, Any] = {}
        notes: list[str] = []
        if sheet is not None:
            for r, row in enumerate(sheet.rows, start=1):
                cells = [c for c in row]
                field = _norm(cells[0] if cells else None)
                value = (cells[1] if len(cells) > 1 else None) or ""
                extra = next((i for i, c in enumerate(cells[2:], start=3) if c), None)
                if not field and not value:
                    continue
                if r == 1 and field == "field":
                    continue
                if extra is not None:
                    raise self.fail(
                        f"{where(sheet.name, r, extra)}: only two columns (Field, Value) "
                        "are read here; move this text into column B"
                    )
                name = _META_FIELDS.get(field)
                if name is None:
                    known = ", ".join(sorted({k for k in _META_FIELDS if " " in k or "_" not in k}))
                    raise self.fail(
                        f"{where(sheet.name, r, 1, 'Field')}: {cells[0]!r} is not a framework "
                        f"field (fields: {known})"
                    )
                self.check_text(value, where(sheet.name, r, 2, "Value"))
                if name == "note":
                    if value.strip():
                        notes.append(value.strip())
                    continue
                if name in meta:
                    raise self.fail(f"{where(sheet.name, r, 1, 'Field')}: {field!r} is given twice")
                meta[name] = (r, value.strip())
        out: dict[str, Any] = {}
        for name, (r, value) in meta.items():
            if value:
                out[name] = self.field_value(name, value, where(sheet.name, r, 2, "Value"))  # type: ignore[union-attr]
        for name, value in self.given.items():
            if name == "applies_to" and isinstance(value, str):
                value = self.field_value(name, value, f"the {name.replace('_', ' ')} given")
            out[name] = value
        if notes:
            out["notes"] = notes
        base = self.base = self.bases.get(out.get("key", ""))
        if base is not None and sheet is None:
            # A sheet of statements alone is a new version of a stored framework: it keeps
            # that framework's details unless given. A 'Framework' sheet says all itself.
            inherited = spec_from_framework(base)
            for name in ("name", "publisher", "published", "source", "description"):
                out.setdefault(name, inherited[name])
            out.setdefault("applies_to", inherited["applies_to"])
            if "threshold" not in out and inherited["threshold"]:
                out["threshold"] = inherited["threshold"]["stage"]
                out.setdefault("threshold_label", inherited["threshold"]["label"])
        out.setdefault("source", self.source.rsplit("/", 1)[-1])
        missing = [n for n in REQUIRED_FIELDS if not out.get(n)]
        if missing:
            names = ", ".join(m.replace("_", " ") for m in missing)
            raise self.fail(
                f"the framework's {names} {'is' if len(missing) == 1 else 'are'} missing: "
                "add a 'Framework' sheet with Field | Value rows for "
                f"{'it' if len(missing) == 1 else 'them'}, or give "
                f"{'it' if len(missing) == 1 else 'them'} when importing"
            )
        return out

    def field_value(self, name: str, value: str, place: str) -> Any:
        if name == "format":
            try:
                return int(float(value))
            except ValueError:
                raise self.fail(f"{place}: format {value!r} is not a number") from None
        if name == "published":
            text = value.strip()[:10]
            try:
                return _dt.date.fromisoformat(text).isoformat()
            except ValueError:
                raise self.fail(
                    f"{place}: {value!r} is not a date in the form YYYY-MM-DD"
                ) from None
        if name == "applies_to":
            return [self.entity_kind(v, place) for v in re.split(r"[,;\n]", value) if v.strip()]
        return value

    def entity_kind(self, text: str, place: str) -> str:
        wanted = _norm(text).replace("_", " ")
        for kind in EntityKind:
            if wanted in (_norm(kind.label), kind.value.replace("_", " ")):
                return kind.value
        labels = ", ".join(k.label for k in EntityKind)
        raise self.fail(f"{place}: {text.strip()!r} is not a kind of entity ({labels})")

    # -- stages ------------------------------------------------------------------------
    def stages_sheet(self, sheet: Sheet) -> list[_StageInfo]:
        header = [_norm(c) for c in (sheet.rows[0] if sheet.rows else ())]
        if "name" not in header:
            raise self.fail(f"{where(sheet.name, 1, 1)}: the column 'Name' is missing")
        name_col = header.index("name")
        key_col = header.index("key") if "key" in header else None
        desc_col = header.index("description") if "description" in header else None
        stages: list[_StageInfo] = []
        for r, row in enumerate(sheet.rows[1:], start=2):

            def cell(i: int | None, row: tuple[str | None, ...] = row) -> str:
                return _cell(row, i).strip()

            name = cell(name_col)
            if not name and not cell(key_col) and not cell(desc_col):
                continue
            if not name:
                raise self.fail(
                    f"{where(sheet.name, r, name_col + 1, 'Name')}: the stage's name is empty"
                )
            for i in (name_col, key_col, desc_col):
                if i is not None:
                    self.check_text(cell(i), where(sheet.name, r, i + 1))
            key = cell(key_col) or slug(name, f"stage_{len(stages) + 1}")
            stages.append(_StageInfo(key, name, cell(desc_col) or None))
        return stages

    def match_stage(self, stages: list[_StageInfo], text: str, place: str) -> int:
        wanted = _norm(text)
        for i, s in enumerate(stages):
            if wanted in (_norm(s.name), _norm(s.key)):
                return i
        names = ", ".join(s.name for s in stages)
        raise self.fail(f"{place}: {text.strip()!r} does not match a stage ({names})")

    # -- domains: a row per domain, a column per stage ---------------------------------
    def table(
        self, sheet: Sheet, stages: list[_StageInfo] | None, supporting: bool
    ) -> tuple[list[dict[str, Any]], list[_StageInfo]]:
        if not sheet.rows:
            raise self.fail(f"sheet {sheet.name!r} is empty")
        header = list(sheet.rows[0])
        if len(header) > MAX_COLUMNS:
            raise self.fail(
                f"{where(sheet.name, 1, MAX_COLUMNS + 1)}: a framework sheet has at most "
                f"{MAX_COLUMNS} columns"
            )
        normed = [_norm(h) for h in header]
        for r, row in enumerate(sheet.rows[1:], start=2):
            for c, value in enumerate(row):
                if (value or "").strip() and (c >= len(normed) or not normed[c]):
                    raise self.fail(
                        f"{where(sheet.name, r, c + 1)}: text in a column with no header in "
                        "row 1; give the column a header (a stage's name) or clear it"
                    )
        if any(n in _STAGE for n in normed):
            return self.statement_rows(sheet, stages, supporting)
        return self.matrix_rows(sheet, stages, supporting)

    def columns(self, sheet: Sheet, wanted: dict[str, set[str]]) -> dict[str, int]:
        found: dict[str, int] = {}
        for c, h in enumerate(sheet.rows[0]):
            n = _norm(h)
            for role, names in wanted.items():
                if n in names:
                    if role in found:
                        raise self.fail(f"{where(sheet.name, 1, c + 1, h)}: a second {role} column")
                    found[role] = c
        return found

    def matrix_rows(
        self, sheet: Sheet, stages: list[_StageInfo] | None, supporting: bool
    ) -> tuple[list[dict[str, Any]], list[_StageInfo]]:
        roles = {"number": _NUMBER, "key": _KEY, "title": _TITLE}
        if not supporting:
            roles |= {"applies_to": _APPLIES, "summary": _SUMMARY}
        cols = self.columns(sheet, roles)
        if "title" not in cols:
            raise self.fail(
                f"{where(sheet.name, 1)}: the column '{'Section' if supporting else 'Domain'}' "
                "is missing (a row per domain: Domain, then a column per stage; or a row per "
                "statement: Domain, Stage, Statement)"
            )
        header = sheet.rows[0]
        stage_cols = [c for c in range(len(header)) if c not in cols.values() and _norm(header[c])]
        if not stage_cols:
            raise self.fail(f"{where(sheet.name, 1)}: no stage columns (e.g. Emerging, Developing)")
        if stages is None:
            stages = []
            for c in stage_cols:
                name = (header[c] or "").strip()
                self.check_text(name, where(sheet.name, 1, c + 1))
                stages.append(_StageInfo(slug(name, f"stage_{len(stages) + 1}"), name, None))
        order: list[int] = []
        for c in stage_cols:
            i = self.match_stage(stages, header[c] or "", where(sheet.name, 1, c + 1, header[c]))
            if order and i <= order[-1]:
                before = stages[order[-1]].name
                raise self.fail(
                    f"{where(sheet.name, 1, c + 1, header[c])}: stage columns must be in "
                    f"order; {stages[i].name} comes after {before}"
                )
            order.append(i)
        domains: list[dict[str, Any]] = []
        for r, row in enumerate(sheet.rows[1:], start=2):

            def cell(c: int, row: tuple[str | None, ...] = row) -> str:
                return _cell(row, c)

            if not any((v or "").strip() for v in row):
                continue
            title = cell(cols["title"]).strip()
            name = "Section" if supporting else "Domain"
            if not title:
                raise self.fail(
                    f"{where(sheet.name, r, cols['title'] + 1, name)}: the {name.lower()} "
                    "has no title"
                )
            for c in range(len(row)):
                self.check_text(
                    cell(c), where(sheet.name, r, c + 1, header[c] if c < len(header) else None)
                )
            descriptors: dict[str, list[str]] = {s.key: [] for s in stages}
            for c, i in zip(stage_cols, order, strict=True):
                texts = split_statements(cell(c))
                self.check_statements(texts, where(sheet.name, r, c + 1, header[c]))
                descriptors[stages[i].key] = texts
            domain = self.section(sheet, r, row, cols, title, len(domains) + 1, supporting)
            domain["descriptors"] = descriptors
            domains.append(domain)
        return domains, stages

    def check_statements(self, texts: list[str], place: str) -> None:
        for n, text in enumerate(texts, start=1):
            if len(text) > MAX_STATEMENT:
                raise self.fail(
                    f"{place}: statement {n} is {len(text):,} characters; the limit is "
                    f"{MAX_STATEMENT:,}"
                )

    def section(
        self,
        sheet: Sheet,
        r: int,
        row: tuple[str | None, ...],
        cols: dict[str, int],
        title: str,
        position: int,
        supporting: bool,
    ) -> dict[str, Any]:
        def cell(role: str) -> str:
            c = cols.get(role)
            return ((row[c] if c is not None and c < len(row) else None) or "").strip()

        key = (
            cell("key")
            or self.known_key(title, supporting)
            or slug(title, f"{'section' if supporting else 'domain'}_{position}")
        )
        out: dict[str, Any] = {"key": key, "title": title}
        if not supporting:
            self.where_domain[position - 1] = f"{where(sheet.name, r)} (domain {title!r})"
            number = cell("number")
            if number:
                try:
                    out["number"] = int(float(number))
                except ValueError:
                    raise self.fail(
                        f"{where(sheet.name, r, cols['number'] + 1, 'Number')}: {number!r} "
                        "is not a whole number"
                    ) from None
            applies = cell("applies_to")
            if applies:
                place = where(sheet.name, r, cols["applies_to"] + 1, "Applies to")
                out["applies_to"] = self.field_value("applies_to", applies, place)
            summary = cell("summary")
            if summary:
                out["summary"] = summary
        return out

    def known_key(self, title: str, supporting: bool) -> str | None:
        """Return the key the stored version gives a domain of this title (keeps ids stable)."""
        if self.base is None:
            return None
        sections = self.base.supporting if supporting else self.base.domains
        return next((d.key for d in sections if _norm(d.title) == _norm(title)), None)

    # -- domains: a row per statement --------------------------------------------------
    def statement_rows(
        self, sheet: Sheet, stages: list[_StageInfo] | None, supporting: bool
    ) -> tuple[list[dict[str, Any]], list[_StageInfo]]:
        roles = {"number": _NUMBER, "key": _KEY, "title": _TITLE, "stage": _STAGE, "text": _TEXT}
        if not supporting:
            roles |= {"applies_to": _APPLIES, "summary": _SUMMARY}
        cols = self.columns(sheet, roles)
        header = sheet.rows[0]
        for role, label in (("title", "Domain"), ("stage", "Stage"), ("text", "Statement")):
            if role not in cols:
                raise self.fail(
                    f"{where(sheet.name, 1)}: the column {label!r} is missing (a row per "
                    "statement needs Domain, Stage and Statement)"
                )
        unknown = [c for c in range(len(header)) if c not in cols.values() and _norm(header[c])]
        if unknown:
            c = unknown[0]
            raise self.fail(
                f"{where(sheet.name, 1, c + 1, header[c])}: not a column of a row-per-statement "
                "sheet (Number, Key, Domain, Applies to, Summary, Stage, Statement)"
            )
        derive = stages is None
        found: list[_StageInfo] = [] if stages is None else list(stages)
        domains: dict[str, dict[str, Any]] = {}
        last_stage: dict[str, tuple[int, str]] = {}
        for r, row in enumerate(sheet.rows[1:], start=2):

            def cell(c: int, row: tuple[str | None, ...] = row) -> str:
                return _cell(row, c).strip()

            if not any((v or "").strip() for v in row):
                continue
            for c in range(len(row)):
                self.check_text(
                    row[c] or "",
                    where(sheet.name, r, c + 1, header[c] if c < len(header) else None),
                )
            title, stage_text, text = cell(cols["title"]), cell(cols["stage"]), cell(cols["text"])
            if not title:
                raise self.fail(f"{where(sheet.name, r, cols['title'] + 1, 'Domain')}: empty")
            if text and not stage_text:
                raise self.fail(f"{where(sheet.name, r, cols['stage'] + 1, 'Stage')}: empty")
            if stage_text and not text:
                raise self.fail(
                    f"{where(sheet.name, r, cols['text'] + 1, 'Statement')}: the statement is empty"
                )
            if any(_BULLET.match(line.strip()) for line in text.splitlines()[1:]):
                raise self.fail(
                    f"{where(sheet.name, r, cols['text'] + 1, 'Statement')}: one statement a "
                    "row; this cell holds a list of several"
                )
            self.check_statements([text], where(sheet.name, r, cols["text"] + 1, "Statement"))
            ident = _norm(cell(cols["key"]) if "key" in cols else "") or _norm(title)
            if not stage_text:  # a domain with no statements (yet): its row alone
                if ident not in domains:
                    domains[ident] = self.section(
                        sheet, r, row, cols, title, len(domains) + 1, supporting
                    )
                    domains[ident]["descriptors"] = {}
                continue
            place = where(sheet.name, r, cols["stage"] + 1, "Stage")
            if derive and not any(
                _norm(stage_text) in (_norm(s.name), _norm(s.key)) for s in found
            ):
                found.append(
                    _StageInfo(slug(stage_text, f"stage_{len(found) + 1}"), stage_text, None)
                )
            i = self.match_stage(found, stage_text, place)
            if ident not in domains:
                domains[ident] = self.section(
                    sheet, r, row, cols, title, len(domains) + 1, supporting
                )
                domains[ident]["descriptors"] = {}
            elif _norm(domains[ident]["title"]) != _norm(title):
                raise self.fail(
                    f"{where(sheet.name, r, cols['title'] + 1, 'Domain')}: {title!r} differs "
                    f"from the title {domains[ident]['title']!r} given before for this key"
                )
            previous = last_stage.get(ident)
            if previous is not None and i < previous[0]:
                raise self.fail(
                    f"{place}: stages must be in order within a domain; {found[i].name} comes "
                    f"after {previous[1]} in {title!r}"
                )
            last_stage[ident] = (i, found[i].name)
            domains[ident]["descriptors"].setdefault(found[i].key, []).append(text)
        for d in domains.values():
            d["descriptors"] = {s.key: d["descriptors"].get(s.key, []) for s in found}
        return list(domains.values()), found


def framework_from_sheets(
    sheets: Sequence[Sheet],
    source: str,
    given: Mapping[str, Any] | None = None,
    bases: Mapping[str, Framework] | None = None,
) -> Framework:
    """Return the framework in a workbook's sheets, checked by the YAML framework rules.

    given: framework fields the user supplies (key, version, name, publisher, published,
    applies_to, ...), over any in a 'Framework' sheet. bases: the newest stored version of
    each framework key; a sheet of a known key without a 'Stages' sheet or details takes them
    from it. FrameworkFileError names the sheet, row and column of the first problem.
    """
    reader = _Reader(source, given or {}, bases or {})
    named = reader.pick(sheets)
    meta = reader.metadata(named.get("framework"))
    stages: list[_StageInfo] | None = None
    if "stages" in named:
        stages = reader.stages_sheet(named["stages"])
    elif reader.base is not None:
        stages = [_StageInfo(s.key, s.name, s.description) for s in reader.base.stages]
    domains, stages = reader.table(named["domains"], stages, supporting=False)
    supporting: list[dict[str, Any]] = []
    if "supporting" in named:
        supporting, _ = reader.table(named["supporting"], stages, supporting=True)
    threshold = meta.pop("threshold", None)
    threshold_label = meta.pop("threshold_label", None)
    data: dict[str, Any] = {"format": meta.pop("format", FORMAT_VERSION), **meta}
    data["stages"] = [{"key": s.key, "name": s.name, "description": s.description} for s in stages]
    if threshold:
        place = "the threshold"
        i = reader.match_stage(stages, str(threshold), place)
        data["threshold"] = {"stage": stages[i].key, "label": threshold_label or None}
    data["domains"] = domains
    data["supporting"] = supporting
    try:
        return parse_framework(data, source)
    except FrameworkFileError as exc:
        problem = re.sub(
            r"domains\[(\d+)\]",
            lambda m: reader.where_domain.get(int(m.group(1)), m.group(0)),
            exc.problem,
        )
        raise FrameworkFileError(source, problem) from None
