"""The services over one open database, built once and handed to the GUI and the CLI."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from matrix_desktop.core.errors import MatrixError
from matrix_desktop.services.assessments import AssessmentService
from matrix_desktop.services.catalog import CatalogService
from matrix_desktop.services.compare import CompareService
from matrix_desktop.services.exchange import ExchangeService
from matrix_desktop.services.feedback import FeedbackService
from matrix_desktop.services.framework_sheets import FrameworkSheetService
from matrix_desktop.services.help_match import HelpMatchService
from matrix_desktop.services.peer_review import PeerReviewService
from matrix_desktop.services.plan import PlanService
from matrix_desktop.services.setup import SetupService
from matrix_desktop.services.single_view import SingleViewService
from matrix_desktop.services.trash import TrashService
from matrix_desktop.storage.database import Database, open_database


@dataclass
class Services:
    """Every use case over one database."""

    db: Database
    catalog: CatalogService
    assessments: AssessmentService
    exchange: ExchangeService
    peer_review: PeerReviewService
    compare: CompareService
    single_view: SingleViewService
    setup: SetupService
    trash: TrashService
    framework_sheets: FrameworkSheetService
    plan: PlanService
    help_match: HelpMatchService
    feedback: FeedbackService
    # Run before the database closes (e.g. releasing the CLI's lock; see services.safety).
    on_close: list[Callable[[], None]] = field(default_factory=list)

    def explain_failure(self, exc: BaseException) -> MatrixError | None:
        """Return a read's failure as one clear sentence (the server out of reach, a
        timeout, a missing right), or None when it is not a database failure.

        A failure that waiting can cure (the link down) has `retryable` True.
        """
        if isinstance(exc, MatrixError):
            return exc
        if self.db.location.is_sqlite:
            return None
        from matrix_desktop.storage.server import explain_server_error

        return explain_server_error(self.db.location, exc)

    def close(self) -> None:
        while self.on_close:
            self.on_close.pop()()
        self.db.close()


def build_services(db: Database, user: str | None = None) -> Services:
    """Return the services over an already open database."""
    catalog = CatalogService(db)
    assessments = AssessmentService(db, catalog, user)
    return Services(
        db=db,
        catalog=catalog,
        assessments=assessments,
        exchange=ExchangeService(db, catalog, user),
        peer_review=PeerReviewService(catalog, assessments),
        compare=CompareService(db, catalog),
        single_view=SingleViewService(db, catalog),
        setup=SetupService(db, catalog, user, assessments.own_audit_ids),
        trash=TrashService(db, assessments),
        framework_sheets=FrameworkSheetService(catalog),
        plan=PlanService(db, catalog, assessments),
        help_match=HelpMatchService(db, catalog, assessments),
        feedback=FeedbackService(db, catalog, assessments),
    )


def open_services(
    database: str | os.PathLike[str] | None = None,
    *,
    read_only: bool = False,
    user: str | None = None,
) -> Services:
    """Open the database (migrating and seeding as needed) and return its services."""
    return build_services(open_database(database, read_only=read_only), user)
