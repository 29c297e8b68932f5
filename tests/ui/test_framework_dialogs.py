"""Framework spreadsheets in the GUI: the import preview and the version difference, by keyboard
and mouse."""

from __future__ import annotations

from openpyxl import Workbook
from PySide6.QtCore import Qt

from matrix_desktop.ui.framework_dialogs import FrameworkDiffDialog, FrameworkImportDialog
from matrix_desktop.ui.main_window import MainWindow

SYB = "syb-place-development-matrix"


def _sheet_of_syb(services, path, extra: str = "", formula: bool = False):
    """The SYB matrix as a programme office keeps it: a row per key area, no details sheet."""
    syb = services.catalog.framework(SYB)
    wb = Workbook()
    ws = wb.active
    ws.title = "Matrix"
    ws.append(["Key area", "Emerging", "Developing", "Thriving"])
    for d in syb.domains:
        ws.append(
            [d.title]
            + [
                "\n".join(s.text for s in d.statements_for(k))
                for k in ("emerging", "developing", "thriving")
            ]
        )
    if extra:
        ws["D2"] = ws["D2"].value + "\n" + extra
    if formula:
        ws["C3"] = "=B3"
    wb.save(path)
    return syb


def _activate(qtbot, dialog) -> None:
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)


def _window(qtbot, ctx, db_path):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.open_database(str(db_path))
    return window


def test_import_preview_by_keyboard_then_diff_dialog(qtbot, ctx, db_path, tmp_path):
    window = _window(qtbot, ctx, db_path)
    services = ctx.services
    path = tmp_path / "syb.xlsx"
    syb = _sheet_of_syb(services, path, extra="Partners publish a yearly account of progress.")
    dialog = FrameworkImportDialog(services.framework_sheets, str(path), window)
    qtbot.addWidget(dialog)
    _activate(qtbot, dialog)
    from test_accessible_names import unnamed_controls

    assert unnamed_controls(dialog) == []
    hint = dialog.minimumSizeHint()
    assert hint.width() <= 1024 and hint.height() <= 768  # usable on an XGA projector
    # The sheet has no details: the preview says so and Import is off.
    assert not dialog.import_button.isEnabled()
    assert "key, version" in dialog.view.toPlainText() and "missing" in dialog.view.toPlainText()
    # Type the key and version (Alt+K, Alt+V reach the fields), Enter checks again.
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    assert dialog.focusWidget() is dialog.fields["key"]
    qtbot.keyClicks(dialog.fields["key"], SYB)
    qtbot.keyClick(dialog.fields["key"], Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
    assert dialog.focusWidget() is dialog.fields["version"]
    qtbot.keyClicks(dialog.fields["version"], "v1-5")
    qtbot.keyClick(dialog.fields["version"], Qt.Key.Key_Return)
    assert dialog.import_button.isEnabled(), dialog.view.toPlainText()
    text = dialog.view.toPlainText()
    assert "A new version of SYB Place Development Matrix (v1-4)" in text
    assert "+ added (Thriving): Partners publish a yearly account of progress." in text
    assert services.catalog.framework(SYB).version == "v1-4"  # nothing stored by a preview
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.added
    assert services.catalog.framework(SYB, "v1-5").domains[0].statements_for("thriving")[
        -1
    ].text == ("Partners publish a yearly account of progress.")
    assert services.catalog.framework(SYB, "v1-5").publisher == syb.publisher

    # The difference, from the Review menu's dialog: both versions chosen by keyboard.
    diff = FrameworkDiffDialog(services.catalog.frameworks(), services.framework_sheets, window)
    qtbot.addWidget(diff)
    _activate(qtbot, diff)
    assert unnamed_controls(diff) == []
    assert diff.minimumSizeHint().width() <= 1024 and diff.minimumSizeHint().height() <= 768
    assert diff.framework_box.currentData() == SYB
    assert (diff.old_box.currentData(), diff.new_box.currentData()) == ("v1-4", "v1-5")
    assert "1 statement added" in diff.summary.text()
    assert "Partners publish a yearly account" in diff.view.toPlainText()
    qtbot.keyClick(diff.focusWidget(), Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    assert diff.focusWidget() is diff.new_box
    qtbot.keyClick(diff.new_box, Qt.Key.Key_Up)
    assert diff.new_box.currentData() == "v1-4"
    assert "same version" in diff.summary.text()
    qtbot.keyClick(diff.new_box, Qt.Key.Key_Down)
    assert "1 statement added" in diff.summary.text()


def test_a_hostile_sheet_is_refused_in_the_preview_naming_the_cell(qtbot, ctx, db_path, tmp_path):
    window = _window(qtbot, ctx, db_path)
    path = tmp_path / "bad.xlsx"
    _sheet_of_syb(ctx.services, path, formula=True)
    dialog = FrameworkImportDialog(ctx.services.framework_sheets, str(path), window)
    qtbot.addWidget(dialog)
    dialog.fields["key"].setFocus()
    qtbot.keyClicks(dialog.fields["key"], SYB)
    qtbot.keyClicks(dialog.fields["version"], "v9")
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    assert "sheet 'Matrix', row 3, column C: a formula" in dialog.view.toPlainText()
    assert not dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)  # disabled: nothing
    assert [f.version for f in ctx.services.catalog.frameworks() if f.key == SYB] == ["v1-4"]


def test_menus_reach_the_preview_the_export_and_the_diff(
    qtbot, ctx, db_path, tmp_path, monkeypatch
):
    from matrix_desktop.ui import framework_dialogs
    from matrix_desktop.ui.interaction import interaction

    window = _window(qtbot, ctx, db_path)
    assert window.compare_frameworks_action.shortcut().toString() == "Ctrl+Shift+D"
    exported = tmp_path / "ics.xlsx"
    names = []

    def pick(parent, title, label, items):
        names.extend(items)
        return next(i for i, t in enumerate(items) if "integrated care systems" in t)

    monkeypatch.setattr(interaction, "pick", pick)
    monkeypatch.setattr(interaction, "save_file", lambda *a: str(exported))
    window.export_framework_action.trigger()
    assert exported.exists() and "Wrote Maturity matrix" in window.status_label.text()
    seen = []

    class Importing(framework_dialogs.FrameworkImportDialog):
        def exec(self):  # the user reads the preview and clicks Import
            seen.append(self.view.toPlainText())
            qtbot.mouseClick(self.import_button, Qt.MouseButton.LeftButton)
            return self.result()

    monkeypatch.setattr(framework_dialogs, "FrameworkImportDialog", Importing)
    monkeypatch.setattr(interaction, "open_file", lambda *a: str(exported))
    window.import_framework_action.trigger()
    assert "already in this database" in seen[0]
    shown = []

    class Showing(framework_dialogs.FrameworkDiffDialog):
        def exec(self):
            shown.append(self.summary.text())
            return 0

    monkeypatch.setattr(framework_dialogs, "FrameworkDiffDialog", Showing)
    window.compare_frameworks_action.trigger()
    assert shown and "same version" in shown[0]
