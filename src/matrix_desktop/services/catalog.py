"""Systems, entities, rounds and frameworks: listing, finding and creating them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.orm import Session

from matrix_desktop.core.errors import NotFound, ValidationFailed
from matrix_desktop.core.framework import EntityKind, Framework
from matrix_desktop.core.framework_file import read_framework_file
from matrix_desktop.core.model import Entity, Round, System, new_id
from matrix_desktop.core.names import name_key
from matrix_desktop.services.files import write_atomically
from matrix_desktop.storage import frameworks_repo as fw_repo
from matrix_desktop.storage import repository as repo
from matrix_desktop.storage.database import Database


class CatalogService:
    """What exists in a database: frameworks, systems, their entities, rounds."""

    def __init__(self, db: Database):
        self.db = db
        self._frameworks: dict[tuple[str, str], Framework] | None = None

    # frameworks
    def frameworks(self) -> list[Framework]:
        """Return every framework version in the database.

        Read once and kept. Pages are read on worker threads while the GUI thread may drop
        the cache (forget_frameworks, an import), so the cache is read into a local once and
        never checked and then used as two separate reads of the attribute.
        """
        cached = self._frameworks
        if cached is None:
            with self.db.reader() as s:
                cached = {(f.key, f.version): f for f in fw_repo.list_frameworks(s)}
            self._frameworks = cached
        return list(cached.values())

    def domain_titles(self, frameworks: list[Framework] | None = None) -> dict[str, str]:
        """Return domain titles by key, in the frameworks' domain order: of these frameworks,
        or of every framework in the database (None)."""
        titles: dict[str, str] = {}
        for fw in self.frameworks() if frameworks is None else frameworks:
            for d in fw.domains:
                titles.setdefault(d.key, d.title)
        return titles

    def framework(self, key: str, version: str | None = None) -> Framework:
        """Return a framework version (the newest if version is None); NotFound if absent."""
        matches = [f for f in self.frameworks() if f.key == key and version in (None, f.version)]
        if not matches and self._frameworks is not None:
            # Another copy of the app may have imported it since this one looked.
            self._frameworks = None
            matches = [
                f for f in self.frameworks() if f.key == key and version in (None, f.version)
            ]
        if not matches:
            what = f"{key} version {version}" if version else key
            raise NotFound(f"framework {what} is not in this database")
        return sorted(matches, key=lambda f: (f.published, f.version))[-1]

    def import_framework_file(self, path: str) -> tuple[Framework, bool]:
        """Load a framework file into the database; returns (framework, added)."""
        fw = read_framework_file(path)
        return fw, self.import_framework(fw)

    def import_framework(self, fw: Framework) -> bool:
        """Add a framework version; False if this exact version is already here.

        A version is never changed once stored (assessments rest on it): the same key and
        version with different content is refused with a message saying what to do.
        """
        existing = [f for f in self.frameworks() if f.key == fw.key and f.version == fw.version]
        if existing:
            if existing[0] != fw:
                raise ValidationFailed(
                    f"{fw.title} is already in this database with different content. A "
                    "published version never changes: give the edited matrix a new version "
                    "(the 'version' field) and import it again."
                )
            return False
        return self.add_framework(fw)

    def add_framework(self, fw: Framework) -> bool:
        with self.db.session() as s:
            added = fw_repo.add_framework(s, fw)
        self._frameworks = None
        return added

    def forget_frameworks(self) -> None:
        self._frameworks = None

    # systems and entities
    def systems(self) -> list[System]:
        with self.db.reader() as s:
            return repo.list_systems(s)

    def entities(self, system_id: str | None = None) -> list[Entity]:
        with self.db.reader() as s:
            return repo.list_entities(s, system_id)

    def navigation(self) -> list[tuple[System, list[tuple[Entity, int]]]]:
        """Return each system with its entities and their assessment counts (the navigator);
        archived systems and entities are left out.

        One read of three queries, whatever the number of systems. On a server they run
        outside a transaction (no BEGIN and ROLLBACK round trips): a count a moment newer
        than a name is harmless here, and the change feed refreshes the list anyway.
        """
        with self._list_reader() as s:
            systems = repo.list_systems(s)
            entities = repo.list_entities(s)
            counts = repo.count_assessments_by_entity(s)
        systems = [sys_ for sys_ in systems if not sys_.archived]  # archived: not listed
        by_system: dict[str, list[tuple[Entity, int]]] = {sys_.id: [] for sys_ in systems}
        for e in entities:
            if not e.archived:
                by_system.setdefault(e.system_id, []).append((e, counts.get(e.id, 0)))
        return [(sys_, by_system[sys_.id]) for sys_ in systems]

    @contextmanager
    def _list_reader(self) -> Iterator[Session]:
        """A session for a list that needs no snapshot: on a server, in autocommit."""
        if self.db.location.is_sqlite:
            with self.db.reader() as s:
                yield s
            return
        engine = self.db.engine.execution_options(isolation_level="AUTOCOMMIT")
        with Session(engine, autoflush=False) as s:
            yield s

    def entity(self, entity_id: str) -> Entity:
        with self.db.reader() as s:
            return repo.get_entity(s, entity_id)

    def system(self, system_id: str) -> System:
        with self.db.reader() as s:
            return repo.get_system(s, system_id)

    def find_entity(self, name: str) -> Entity:
        """Return the one entity with this name (or unique prefix); NotFound otherwise."""
        with self.db.reader() as s:
            found = repo.find_entity(s, name)
        if not found:
            raise NotFound(f"no entity named {name!r}")
        if len(found) > 1:
            names = ", ".join(e.name for e in found)
            raise NotFound(f"{name!r} matches several entities: {names}")
        return found[0]

    def find_system(self, name: str) -> System:
        with self.db.reader() as s:
            found = repo.find_system(s, name)
        if found is None:
            raise NotFound(f"no system named {name!r}")
        return found

    def create_system(self, name: str, short_name: str = "") -> System:
        name = name.strip()
        if not name:
            raise ValidationFailed("A system needs a name.")
        with self.db.session() as s:
            system = System(new_id(), name, short_name.strip())
            if repo.find_system(s, name) is not None or not repo.add_system(s, system):
                raise ValidationFailed(f"A system named {name!r} already exists.")
            return system

    def create_entity(
        self, system_id: str, name: str, kind: EntityKind, members: tuple[str, ...] = ()
    ) -> Entity:
        name = name.strip()
        if not name:
            raise ValidationFailed("An entity needs a name.")
        with self.db.session() as s:
            repo.get_system(s, system_id)
            entity = Entity(new_id(), system_id, name, EntityKind(kind), members)
            if any(
                name_key(e.name) == name_key(name) for e in repo.list_entities(s, system_id)
            ) or not repo.add_entity(s, entity):
                raise ValidationFailed(f"{name!r} already exists in this system.")
            return entity

    # rounds
    def rounds(self) -> list[Round]:
        with self.db.reader() as s:
            return repo.list_rounds(s)

    def round(self, round_id: str) -> Round:
        with self.db.reader() as s:
            return repo.get_round(s, round_id)

    def find_round(self, name: str) -> Round:
        with self.db.reader() as s:
            found = repo.find_round(s, name)
        if found is None:
            raise NotFound(f"no round named {name!r}")
        return found

    def ensure_round(self, name: str) -> Round:
        if not name.strip():
            raise ValidationFailed("A round needs a name, e.g. '2021/22 Q2'.")
        with self.db.session() as s:
            return repo.ensure_round(s, name)


def write_framework_file(fw: Framework, path: str | os.PathLike[str]) -> Path:
    """Write a framework version as a YAML framework file (atomically); returns the path."""
    from matrix_desktop.core.datafile import dump_yaml
    from matrix_desktop.core.framework_file import spec_from_framework

    target = Path(path)
    text = dump_yaml(spec_from_framework(fw))
    try:
        write_atomically(target, text.encode("utf-8"))
    except OSError as exc:
        raise ValidationFailed(f"{target}: cannot be written ({exc.strerror})") from None
    return target
