"""Setting up a database: systems, entities (with members) and rounds added, renamed,
edited, archived and restored, each change one audited, undoable CatalogEdit."""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from matrix_desktop.core.catalog_edit import CatalogEdit, CatalogKind
from matrix_desktop.core.errors import AlreadyExists, NotFound, ValidationFailed
from matrix_desktop.core.framework import EntityKind
from matrix_desktop.core.model import AuditEvent, new_id, utcnow
from matrix_desktop.core.names import checked_name, clean_name, name_key
from matrix_desktop.services import local_user
from matrix_desktop.services.catalog import CatalogService
from matrix_desktop.storage import edits, setup_repo
from matrix_desktop.storage.database import Database

CatalogListener = Callable[[CatalogEdit], None]
_NameCache = dict[tuple[str, str | None], dict[str, list[tuple[str, str]]]]

_KIND_WORDS = {
    "place": EntityKind.PLACE_PARTNERSHIP,
    "place partnership": EntityKind.PLACE_PARTNERSHIP,
    "partnership": EntityKind.PLACE_PARTNERSHIP,
    "collaborative": EntityKind.PROVIDER_COLLABORATIVE,
    "provider collaborative": EntityKind.PROVIDER_COLLABORATIVE,
    "system": EntityKind.INTEGRATED_CARE_SYSTEM,
    "ics": EntityKind.INTEGRATED_CARE_SYSTEM,
    "integrated care system": EntityKind.INTEGRATED_CARE_SYSTEM,
}
KIND_CHOICES = "place, collaborative or system"


def entity_kind(text: str) -> EntityKind:
    """Return the kind a word names ('place', 'collaborative', 'system' or a full label)."""
    word = " ".join(text.strip().lower().replace("_", " ").replace("-", " ").split())
    for kind in EntityKind:
        if word in (kind.value.replace("_", " "), kind.label.lower()):
            return kind
    if word in _KIND_WORDS:
        return _KIND_WORDS[word]
    raise ValidationFailed(f"{text!r} is not a kind of entity; use {KIND_CHOICES}.")


def _date(label: str, value: str | None) -> str | None:
    if value in (None, ""):
        return None
    assert value is not None
    text = value.strip()
    for parse in (_dt.date.fromisoformat, lambda t: _dt.datetime.strptime(t, "%d/%m/%Y").date()):
        try:
            return parse(text).isoformat()
        except ValueError:
            continue
    raise ValidationFailed(f"{label} {value!r} is not a date (YYYY-MM-DD or DD/MM/YYYY).")


_WORD = {"system": "system", "entity": "entity", "round": "round"}


class SetupService:
    """Systems, entities and rounds: every change validated, audited and reversible."""

    def __init__(
        self,
        db: Database,
        catalog: CatalogService,
        user: str | None = None,
        own_audit_ids: set[int] | None = None,
    ):
        self.db = db
        self.catalog = catalog
        self.user = user or local_user()
        self._listeners: list[CatalogListener] = []
        # Audit events this copy wrote (shared with the assessments; the feed skips them).
        self.own_audit_ids = own_audit_ids if own_audit_ids is not None else set()

    def subscribe(self, listener: CatalogListener) -> None:
        """Call listener with each catalog edit after it is committed."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: CatalogListener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    # -- finding by name -------------------------------------------------------------------
    def find(self, kind: CatalogKind, name: str, system_id: str | None = None) -> str:
        """Return the id of the system, entity or round with this name (by its name key).

        An entity name found in several systems needs system_id; NotFound otherwise.
        """
        key = name_key(name)
        with self.db.reader() as s:
            found = [i for i, n in setup_repo.names(s, kind, system_id) if name_key(n) == key]
            if not found and kind == "system":
                found = [x.id for x in self.catalog.systems() if name_key(x.short_name) == key]
        if not found:
            raise NotFound(f"There is no {_WORD[kind]} named {name!r}.")
        if len(found) > 1:
            raise NotFound(f"{name!r} names {len(found)} entities; say which system (--system).")
        return found[0]

    # -- systems -----------------------------------------------------------------------------
    def add_system(self, name: str, short_name: str = "") -> CatalogEdit:
        """Add a system; returns the applied edit (its target_id is the new system's id)."""
        after = {"name": name, "short_name": short_name.strip(), "archived_at": None}
        return self.apply(
            CatalogEdit("system", new_id(), None, after, f"add system {clean_name(name)}", "add")
        )

    def edit_system(self, system_id: str, short_name: str) -> CatalogEdit:
        """Change a system's short name (shown in the navigator); returns the applied edit."""
        return self._patch("system", system_id, {"short_name": short_name}, "edit")

    def first_setup(
        self,
        system_name: str,
        short_name: str,
        entities: Sequence[tuple[str, EntityKind, Sequence[str]]],
        round_name: str = "",
    ) -> list[CatalogEdit]:
        """Add a system, its entities (name, kind, members) and a first round in one go.

        All or nothing: a duplicate or bad name anywhere changes nothing. Returns the edits.
        """
        system_id = new_id()
        batch = [
            CatalogEdit(
                "system",
                system_id,
                None,
                {"name": system_name, "short_name": short_name, "archived_at": None},
                f"add system {clean_name(system_name)}",
                "add",
            )
        ]
        for name, kind, members in entities:
            after: dict[str, Any] = {
                "system_id": system_id,
                "name": name,
                "kind": EntityKind(kind).value,
                "members_json": list(members),
                "archived_at": None,
            }
            text = f"add {EntityKind(kind).label.lower()} {clean_name(name)}"
            batch.append(CatalogEdit("entity", new_id(), None, after, text, "add"))
        if clean_name(round_name):
            with self.db.reader() as s:
                sequence = setup_repo.next_round_sequence(s)
            after = {
                "name": round_name,
                "sequence": sequence,
                "starts_on": None,
                "ends_on": None,
                "archived_at": None,
            }
            batch.append(
                CatalogEdit(
                    "round", new_id(), None, after, f"add round {clean_name(round_name)}", "add"
                )
            )
        return self.apply_many(batch)

    # -- entities ----------------------------------------------------------------------------
    def add_entity(
        self, system_id: str, name: str, kind: EntityKind | str, members: Iterable[str] = ()
    ) -> CatalogEdit:
        """Add an entity to a system; returns the applied edit."""
        kind = kind if isinstance(kind, EntityKind) else entity_kind(kind)
        after: dict[str, Any] = {
            "system_id": system_id,
            "name": name,
            "kind": kind.value,
            "members_json": list(members),
            "archived_at": None,
        }
        text = f"add {kind.label.lower()} {clean_name(name)}"
        return self.apply(CatalogEdit("entity", new_id(), None, after, text, "add"))

    def edit_entity(
        self,
        entity_id: str,
        *,
        members: Iterable[str] | None = None,
        kind: EntityKind | str | None = None,
    ) -> CatalogEdit:
        """Change an entity's member organisations and/or kind; returns the applied edit."""
        new: dict[str, Any] = {}
        if members is not None:
            new["members_json"] = list(members)
        if kind is not None:
            new["kind"] = (kind if isinstance(kind, EntityKind) else entity_kind(kind)).value
        return self._patch("entity", entity_id, new, "edit")

    # -- rounds ------------------------------------------------------------------------------
    def add_round(
        self,
        name: str,
        sequence: int | None = None,
        starts_on: str | None = None,
        ends_on: str | None = None,
    ) -> CatalogEdit:
        """Add a round (after the last one unless sequence is given); returns the applied edit."""
        if sequence is None:
            with self.db.reader() as s:
                sequence = setup_repo.next_round_sequence(s)
        after: dict[str, Any] = {
            "name": name,
            "sequence": sequence,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "archived_at": None,
        }
        return self.apply(
            CatalogEdit("round", new_id(), None, after, f"add round {clean_name(name)}", "add")
        )

    def edit_round(self, round_id: str, **changes: object) -> CatalogEdit:
        """Change a round's sequence (its order) or dates (starts_on, ends_on; None clears)."""
        unknown = set(changes) - {"sequence", "starts_on", "ends_on"}
        if unknown:
            raise ValueError(f"not a round field: {', '.join(sorted(unknown))}")
        return self._patch("round", round_id, dict(changes), "edit")

    # -- any of them -------------------------------------------------------------------------
    def rename(self, kind: CatalogKind, target_id: str, new_name: str) -> CatalogEdit:
        """Rename a system, entity or round; returns the applied edit."""
        return self._patch(kind, target_id, {"name": new_name}, "rename")

    def archive(self, kind: CatalogKind, target_id: str) -> CatalogEdit:
        """Archive a system, entity or round: it stays (with its assessments), out of the lists."""
        return self._patch(kind, target_id, {"archived_at": utcnow()}, "archive")

    def restore(self, kind: CatalogKind, target_id: str) -> CatalogEdit:
        """Bring an archived system, entity or round back into the lists."""
        return self._patch(kind, target_id, {"archived_at": None}, "restore")

    def _patch(
        self, kind: CatalogKind, target_id: str, new: dict[str, Any], verb: str
    ) -> CatalogEdit:
        with self.db.reader() as s:
            before = setup_repo.read_fields(s, kind, target_id)
        if before is None:
            raise NotFound(f"There is no {_WORD[kind]} with id {target_id}.")
        before = self._decoded(before)
        if verb == "archive" and before["archived_at"] is not None:
            raise ValidationFailed(f"{before['name']!r} is already archived.")
        if verb == "restore" and before["archived_at"] is None:
            raise ValidationFailed(f"{before['name']!r} is not archived.")
        after = {**before, **new}
        if verb == "rename":
            text = f"rename {_WORD[kind]} {before['name']} to {clean_name(str(new['name']))}"
        else:
            text = f"{verb} {_WORD[kind]} {before['name']}"
        return self.apply(CatalogEdit(kind, target_id, before, after, text, verb))

    @staticmethod
    def _decoded(fields: dict[str, Any]) -> dict[str, Any]:
        if "members_json" in fields:
            fields = {**fields, "members_json": json.loads(fields["members_json"])}
        return fields

    # -- applying --------------------------------------------------------------------------
    def apply(self, edit: CatalogEdit) -> CatalogEdit:
        """Apply an edit in one transaction: validated, checked against `before`, audited.

        Returns the edit with `after` as stored (names cleaned). Raises AlreadyExists when
        the name is taken (compared by core.names.name_key), ValidationFailed when the row
        changed since `before` was read or a value breaks a rule; nothing is changed then.
        """
        return self.apply_many([edit])[0]

    def apply_many(self, batch: Sequence[CatalogEdit]) -> list[CatalogEdit]:
        """Apply edits in order in one transaction (all or none, e.g. an imported list)."""
        if self.db.read_only:
            raise ValidationFailed("This database is open read-only; changes cannot be saved.")
        now = utcnow()
        done: list[CatalogEdit] = []
        with self.db.session() as s:
            names: _NameCache = {}  # names by key, read once per kind and scope
            for edit in batch:
                done.append(self._apply_in(s, edit, now, names))
        for listener in list(self._listeners):
            for item in done:
                listener(item)
        return done

    def undo_many(self, batch: Sequence[CatalogEdit]) -> list[CatalogEdit]:
        """Undo applied edits (the last first) in one transaction."""
        return self.apply_many([e.inverse() for e in reversed(batch)])

    def _apply_in(self, s: Any, edit: CatalogEdit, now: str, names: _NameCache) -> CatalogEdit:
        kind, target = edit.kind, edit.target_id
        current = setup_repo.read_fields(s, kind, target)
        current = None if current is None else self._decoded(current)
        label = self._label(kind, (edit.before or edit.after or {}).get("name", target))
        if current != edit.before:
            raise ValidationFailed(
                f"{label} was changed by someone else since you saw it; nothing was changed."
            )
        after = None if edit.after is None else self._checked(s, kind, target, edit.after, names)
        if after is None and setup_repo.usage(s, kind, target):
            what = "entities" if kind == "system" else "assessments"
            raise ValidationFailed(f"{label} has {what}, so it cannot be removed; archive it.")
        stored = None
        if after is not None:
            stored = dict(after)
            if "members_json" in stored:
                stored["members_json"] = json.dumps(stored["members_json"], ensure_ascii=False)
        setup_repo.write_fields(s, kind, target, stored, now, label, current is not None)
        event = AuditEvent(None, now, self.user, f"{kind} {edit.action}", None, None, edit.text)
        self.own_audit_ids.add(edits.append_audit(s, event))
        self._note_name(names, edit, after)
        return CatalogEdit(kind, target, edit.before, after, edit.text, edit.action)

    def undo(self, edit: CatalogEdit) -> CatalogEdit:
        """Put back what an applied edit changed (refused if someone changed it since)."""
        return self.apply(edit.inverse())

    def _label(self, kind: CatalogKind, name: str) -> str:
        return f"The {_WORD[kind]} {name!r}"

    def _checked(
        self, s: Any, kind: CatalogKind, target: str, after: dict[str, Any], names: _NameCache
    ) -> dict[str, Any]:
        out = dict(after)
        out["name"] = checked_name(
            f"A{'n' if kind == 'entity' else ''} {_WORD[kind]}", after["name"]
        )
        scope = None
        if kind == "entity":
            if setup_repo.read_fields(s, "system", out["system_id"]) is None:
                raise NotFound(f"There is no system with id {out['system_id']}.")
            scope = out["system_id"]
            out["kind"] = EntityKind(out["kind"]).value
            members: list[str] = []
            seen: dict[str, str] = {}
            for raw in out["members_json"]:
                member = checked_name("A member organisation", raw)
                key = name_key(member)
                if key in seen:
                    raise AlreadyExists(
                        f"{member!r} is listed twice among {out['name']!r}'s members "
                        f"(as {seen[key]!r}).",
                        "member",
                        target,
                    )
                seen[key] = member
                members.append(member)
            out["members_json"] = members
        if kind == "system":
            out["short_name"] = str(out.get("short_name") or "").strip()
        if kind == "round":
            try:
                out["sequence"] = int(out["sequence"])
            except (TypeError, ValueError):
                raise ValidationFailed(
                    f"A round's order must be a whole number, not {out['sequence']!r}."
                ) from None
            out["starts_on"] = _date("The start date", out.get("starts_on"))
            out["ends_on"] = _date("The end date", out.get("ends_on"))
            if out["starts_on"] and out["ends_on"] and out["ends_on"] < out["starts_on"]:
                raise ValidationFailed(
                    f"Round {out['name']!r} ends ({out['ends_on']}) before it starts "
                    f"({out['starts_on']})."
                )
        key = name_key(out["name"])
        taken = self._taken(s, names, kind, scope)
        for other_id, other in taken.get(key, ()):
            if other_id != target:
                where = " in this system" if kind == "entity" else ""
                raise AlreadyExists(
                    f"A{'n' if kind == 'entity' else ''} {_WORD[kind]} named {other!r} already "
                    f"exists{where}; open it instead of adding {out['name']!r}.",
                    kind,
                    other_id,
                )
        return out

    @staticmethod
    def _taken(
        s: Any, names: _NameCache, kind: str, scope: str | None
    ) -> dict[str, list[tuple[str, str]]]:
        """Return the names of a kind (in a scope) by key, read once per transaction."""
        found = names.get((kind, scope))
        if found is None:
            found = {}
            for other_id, other in setup_repo.names(s, kind, scope):
                found.setdefault(name_key(other), []).append((other_id, other))
            names[(kind, scope)] = found
        return found

    @staticmethod
    def _note_name(names: _NameCache, edit: CatalogEdit, after: dict[str, Any] | None) -> None:
        """Keep a batch's name cache true after an edit (its old name gone, its new one in)."""
        scope_of = (lambda f: f["system_id"]) if edit.kind == "entity" else (lambda f: None)
        for fields, add in ((edit.before, False), (after, True)):
            if fields is None:
                continue
            found = names.get((edit.kind, scope_of(fields)))
            if found is None:
                continue
            entries = found.setdefault(name_key(fields["name"]), [])
            entries[:] = [e for e in entries if e[0] != edit.target_id]
            if add:
                entries.append((edit.target_id, fields["name"]))
