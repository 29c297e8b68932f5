"""Pairings on a shared server: the programme office records them, other roles only read."""

from __future__ import annotations

import psycopg
import pytest

from matrix_desktop.core.errors import PermissionRefused
from matrix_desktop.core.framework import EntityKind
from matrix_desktop.services import server_admin
from matrix_desktop.services.context import open_services

SYB = "syb-place-development-matrix"


def as_login(url: str, login: str) -> str:
    return url.replace("//postgres@", f"//{login}@")


def test_office_records_pairings_facilitator_and_viewer_only_read(pg_url):
    svc = open_services(pg_url, user="it-admin")
    try:
        fw = svc.catalog.framework(SYB)
        system = svc.catalog.create_system("Pair ICS")
        alpha = svc.catalog.create_entity(system.id, "Alpha Place", EntityKind.PLACE_PARTNERSHIP)
        beta = svc.catalog.create_entity(system.id, "Beta Place", EntityKind.PLACE_PARTNERSHIP)
        a = svc.assessments.create(alpha.id, fw, "2030 Q1")
    finally:
        svc.close()
    server_admin.grant(pg_url, "alice", "facilitator", ["Alpha Place"])
    server_admin.grant(pg_url, "olive", "office", [])
    server_admin.grant(pg_url, "val", "viewer", [])

    office = open_services(as_login(pg_url, "olive"), user="olive")
    try:
        edit = office.help_match.record(alpha, beta, "governance", a.round_id, "Alpha helps Beta")
        office.assessments.execute(edit)
        (line,) = office.help_match.pairings()
        office.assessments.execute(office.help_match.set_status(line.pairing, "agreed"))
    finally:
        office.close()

    for login in ("alice", "val"):
        other = open_services(as_login(pg_url, login), user=login)
        try:
            (seen,) = other.help_match.pairings()  # reading is allowed
            assert seen.pairing.status.value == "agreed"
            with pytest.raises(PermissionRefused):
                other.assessments.execute(other.help_match.set_status(seen.pairing, "done"))
        finally:
            other.close()
        url = as_login(pg_url, login).replace("postgresql+psycopg", "postgresql")
        with psycopg.connect(url) as con, pytest.raises(psycopg.errors.InsufficientPrivilege):
            con.execute("DELETE FROM pairing")
    check = open_services(pg_url, user="it-admin")
    try:
        assert check.help_match.pairings()[0].pairing.status.value == "agreed"
    finally:
        check.close()
