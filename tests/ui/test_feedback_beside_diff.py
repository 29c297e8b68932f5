"""The old version's feedback on the matrix beside the version diff, in the GUI: the Compare
framework versions dialog and the import preview of the next version say, beside each
statement, how many requests for clarity and rewordings it had."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt

from matrix_desktop.ui.framework_dialogs import FrameworkDiffDialog, FrameworkImportDialog
from matrix_desktop.ui.main_window import MainWindow

SYB = "syb-place-development-matrix"


def _next_version(fw, version="v1-5"):  # leadership's first statement reworded
    domain = fw.domain("leadership")
    first = domain.statements[0]
    statements = tuple(
        replace(s, text=s.text + " Together.") if s == first else s for s in domain.statements
    )
    domains = tuple(
        replace(d, statements=statements) if d.key == "leadership" else d for d in fw.domains
    )
    return replace(fw, version=version, published="2022-01-01", domains=domains)


def _with_feedback(services, place):
    syb = services.catalog.framework(SYB)
    aid = services.assessments.create(place.id, syb, "2030/31 Q1").id
    first, other = syb.domain("leadership").statements[0], syb.domain("leadership").statements[2]
    for text in ("Which leaders?", "What is 'the footprint'?", "Formal how?"):
        services.assessments.execute(
            services.feedback.add(aid, "leadership", "clarity", text, statement_id=first.id)
        )
    services.assessments.execute(
        services.feedback.add(
            aid, "leadership", "rewording", "Long", statement_id=other.id, wording="Shorter"
        )
    )
    return syb


def _activate(qtbot, dialog) -> None:
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)


def test_the_diff_dialog_shows_the_feedback_beside_each_statement(qtbot, ctx, services, place):
    syb = _with_feedback(services, place)
    services.catalog.import_framework(_next_version(syb))
    path = services.db.path
    services.close()
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.open_database(str(path))
    svc = ctx.services
    diff = FrameworkDiffDialog(
        svc.catalog.frameworks(), svc.framework_sheets, window, feedback=svc.feedback
    )
    qtbot.addWidget(diff)
    _activate(qtbot, diff)
    assert (diff.old_box.currentData(), diff.new_box.currentData()) == ("v1-4", "v1-5")
    assert "1 statement reworded" in diff.summary.text()
    assert "Feedback on v1-4: 4 (shown below the changes)." in diff.summary.text()
    text = diff.view.toPlainText()
    assert "3 requests for clarity; reworded in the new version" in text
    assert "1 suggested rewording; unchanged in the new version" in text
    assert '(suggests: "Shorter")' in text
    # The other way round (v1-5 -> v1-4) the newer version has no feedback: none is shown.
    qtbot.keyClick(diff.focusWidget(), Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(diff.old_box, Qt.Key.Key_Down)
    qtbot.keyClick(diff.focusWidget(), Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(diff.new_box, Qt.Key.Key_Up)
    assert (diff.old_box.currentData(), diff.new_box.currentData()) == ("v1-5", "v1-4")
    assert "Feedback" not in diff.summary.text()
    assert "requests for clarity" not in diff.view.toPlainText()


def test_the_next_versions_import_preview_shows_the_feedback(qtbot, ctx, services, place, tmp_path):
    from matrix_desktop.services.catalog import write_framework_file

    syb = _with_feedback(services, place)
    path = write_framework_file(_next_version(syb), tmp_path / "syb-v1-5.yaml")
    db = services.db.path
    services.close()
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.open_database(str(db))
    svc = ctx.services
    dialog = FrameworkImportDialog(
        svc.framework_sheets, str(path), window, spreadsheet=False, feedback=svc.feedback
    )
    qtbot.addWidget(dialog)
    _activate(qtbot, dialog)
    text = dialog.view.toPlainText()
    assert "A new version of SYB Place Development Matrix (v1-4)" in text
    assert "Feedback on version v1-4 (4 in all)" in text
    assert "3 requests for clarity; reworded in the new version" in text
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.added


def test_the_feedback_dialog_names_every_control_and_fits_an_xga_projector(qtbot, services):
    from test_accessible_names import unnamed_controls

    from matrix_desktop.ui.workshop.feedback import FeedbackDialog

    syb = services.catalog.framework(SYB)
    domain = syb.domain("leadership")
    dialog = FeedbackDialog(syb, domain, domain.statements[1].id, lambda *_args: None)
    qtbot.addWidget(dialog)
    _activate(qtbot, dialog)
    assert unnamed_controls(dialog) == []
    hint = dialog.minimumSizeHint()
    assert hint.width() <= 1024 and hint.height() <= 768
    assert dialog.about.currentData() == domain.statements[1].id
    assert dialog.about.count() == len(domain.statements) + 1  # and the domain as a whole
