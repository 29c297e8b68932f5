"""Fixtures for service tests: `services` is a fresh copy of the example database."""

from __future__ import annotations

import pytest


@pytest.fixture
def services(examples_copy):  # type: ignore[no-untyped-def]
    return examples_copy
