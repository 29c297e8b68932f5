"""A change to a system, entity or round as a reversible patch of its stored fields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

CatalogKind = Literal["system", "entity", "round"]

# The fields a catalog edit may change, per kind (as stored).
EDITABLE: dict[str, tuple[str, ...]] = {
    "system": ("name", "short_name", "archived_at"),
    "entity": ("system_id", "name", "kind", "members_json", "archived_at"),
    "round": ("name", "sequence", "starts_on", "ends_on", "archived_at"),
}


@dataclass
class CatalogEdit:
    """Set a row's fields from `before` to `after`.

    before None: the row is added; after None: the row is removed (only rows nothing refers
    to: an edit that adds is undone by removing what it added). Applied with compare-and-set
    against `before`, so undoing over someone else's later change is refused, not forced.
    """

    kind: CatalogKind
    target_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    text: str
    action: str = ""

    def inverse(self) -> CatalogEdit:
        """Return the edit that puts back what this one changed."""
        return CatalogEdit(
            self.kind, self.target_id, self.after, self.before, self.text, "undo " + self.action
        )
