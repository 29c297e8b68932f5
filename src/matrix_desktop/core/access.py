"""What the current database role may do on a shared server, in the users' words."""

from __future__ import annotations

from dataclasses import dataclass

from matrix_desktop.core.model import Assessment, AssessmentKind

# Group roles on the server, in the order `server roles` lists them: name -> what it may do.
ROLES: dict[str, str] = {
    "administrator": "everything, and grants and revokes roles",
    "programme office": "reads everything, imports, writes reports and changes any assessment",
    "facilitator": "creates and edits the self-assessments of its named entities",
    "peer reviewer": "creates and edits its own peer reviews of its named entities",
    "viewer": "reads only",
}


@dataclass(frozen=True)
class Access:
    """A database login's roles and named entities (None everywhere means a local file).

    owner: the login owns the schema or is a superuser (may do everything).
    facilitates / reviews: entity ids named by `server grant ... --entity`.
    entity_names: entity id -> name, for the sentences below.
    """

    login: str
    roles: frozenset[str]
    owner: bool = False
    facilitates: frozenset[str] = frozenset()
    reviews: frozenset[str] = frozenset()
    entity_names: tuple[tuple[str, str], ...] = ()

    @property
    def writes_everything(self) -> bool:
        return self.owner or bool(self.roles & {"administrator", "programme office"})

    @property
    def may_edit_any(self) -> bool:
        """True when the role can change at least some assessments."""
        return self.writes_everything or bool(
            ("facilitator" in self.roles and self.facilitates)
            or ("peer reviewer" in self.roles and self.reviews)
        )

    @property
    def label(self) -> str:
        """The role as a user reads it, e.g. 'facilitator of Barnsley' or 'viewer'."""
        if self.owner:
            return "owner"
        for role in ROLES:
            if role in self.roles:
                named = {
                    "facilitator": self.facilitates,
                    "peer reviewer": self.reviews,
                }.get(role)
                if named:
                    return f"{role} of {self._names(named)}"
                return role
        return "no role"

    def _names(self, ids: frozenset[str]) -> str:
        names = dict(self.entity_names)
        return ", ".join(sorted(names.get(i, i) for i in ids))

    def may_create(self, entity_id: str, kind: AssessmentKind) -> bool:
        """Return whether this role may create an assessment of this kind for the entity."""
        if self.writes_everything:
            return True
        if kind is AssessmentKind.SELF_ASSESSMENT:
            return "facilitator" in self.roles and entity_id in self.facilitates
        return "peer reviewer" in self.roles and entity_id in self.reviews

    def may_edit(self, assessment: Assessment, created_by: str | None = None) -> bool:
        """Return whether this role may change the assessment (the server decides in the end)."""
        if self.writes_everything:
            return True
        if assessment.kind is AssessmentKind.PEER_REVIEW and created_by not in (None, self.login):
            return False
        return self.may_create(assessment.entity_id, assessment.kind)

    def refusal(self) -> str:
        """One sentence: what this role may not do."""
        if self.writes_everything:
            return f"Your role ({self.label}) may not do this; ask the server's administrator."
        if not self.may_edit_any:
            return f"Your role ({self.label}) can read but not change assessments."
        parts = []
        if "facilitator" in self.roles and self.facilitates:
            parts.append(f"the self-assessments of {self._names(self.facilitates)}")
        if "peer reviewer" in self.roles and self.reviews:
            parts.append(f"your own peer reviews of {self._names(self.reviews)}")
        return f"Your role ({self.label}) can change only {' and '.join(parts)}."
