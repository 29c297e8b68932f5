"""A next version of a framework for feedback tests: one statement reworded, one removed."""

from __future__ import annotations

from dataclasses import replace

from matrix_desktop.core.framework import Framework

DOMAIN = "leadership"


def next_version(fw: Framework, version: str = "v9") -> Framework:
    """Return fw as a new version: the domain's 1st statement reworded, its 2nd removed."""
    domain = fw.domain(DOMAIN)
    first, second = domain.statements[0], domain.statements[1]
    statements = tuple(
        replace(s, text=s.text.replace(s.text.split()[-1], "together.")) if s == first else s
        for s in domain.statements
        if s != second
    )
    domains = tuple(replace(d, statements=statements) if d.key == DOMAIN else d for d in fw.domains)
    return replace(fw, version=version, domains=domains)
