"""Setting up on a shared PostgreSQL server: the same services, names rule, trash and list."""

from __future__ import annotations

import pytest

from matrix_desktop.core.errors import AlreadyExists
from matrix_desktop.services.context import open_services


def test_setup_on_postgres_names_trash_and_entity_list(pg_url, tmp_path):
    from matrix_desktop.services.entity_list import (
        entity_list_rows,
        plan_entity_list,
        read_entity_list,
        write_entity_list,
    )

    svc = open_services(pg_url, user="regional")
    other = open_services(pg_url, user="second")
    try:
        sid = svc.setup.add_system("North ICS", "NICS").target_id
        place = svc.setup.add_entity(sid, "Barnsley Place", "place", ["Council"]).target_id
        with pytest.raises(AlreadyExists):
            other.setup.add_entity(sid, "B\u0430rnsley place\u200b", "place")
        svc.setup.add_round("2030 Q1", starts_on="2030-04-01")
        fw = svc.catalog.framework("syb-place-development-matrix")
        a = svc.assessments.create(place, fw, "2030 Q1")
        with pytest.raises(AlreadyExists):
            other.assessments.create(place, fw, "2030 Q1")
        svc.trash.delete(a.id)
        assert [t.assessment_id for t in other.trash.entries()] == [a.id]
        other.trash.restore(a.id)
        assert svc.assessments.get(a.id).title == a.title
        path = write_entity_list(
            [("North ICS", "Acute Collaborative", "Provider collaborative", "Hospital")],
            tmp_path / "list.xlsx",
        )
        plan = plan_entity_list(other, read_entity_list(path))
        other.setup.apply_many(plan.edits)
        assert len(entity_list_rows(svc)) == 2
        renamed = svc.setup.rename("entity", place, "Barnsley Place Partnership")
        svc.setup.undo(renamed)
        assert other.catalog.entity(place).name == "Barnsley Place"
    finally:
        other.close()
        svc.close()


def test_a_concurrent_duplicate_on_postgres_gets_the_clear_message(pg_url, monkeypatch):
    from matrix_desktop.storage import setup_repo

    svc = open_services(pg_url)
    try:
        svc.setup.add_system("North ICS")
        monkeypatch.setattr(setup_repo, "names", lambda *a, **k: [])  # another copy's view
        with pytest.raises(AlreadyExists, match="already exists"):
            svc.setup.add_system("North ICS")
        monkeypatch.undo()
        svc.setup.add_system("South ICS")  # the session is usable after the refusal
        assert sorted(s.name for s in svc.catalog.systems()) == ["North ICS", "South ICS"]
    finally:
        svc.close()
