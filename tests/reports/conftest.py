"""Fixtures for the report tests (defined in report_fixtures, shared with cli/services/ui tests)."""

from report_fixtures import example_db, reports, services  # noqa: F401
