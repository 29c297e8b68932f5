"""Framework dialogs: the spreadsheet import preview and the difference between two versions.

The import preview reads the file and shows what it would add (and what changed from the
stored version) or the first problem, naming sheet, row and column; details the sheet lacks
(key, version, name...) can be typed in and checked again. Nothing is stored until Import,
which is enabled only by a clean preview.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from matrix_desktop.core.errors import MatrixError
from matrix_desktop.core.feedback import diff_feedback_lines
from matrix_desktop.ui.background import run_blocking

if TYPE_CHECKING:
    from matrix_desktop.core.framework import Framework
    from matrix_desktop.services.feedback import FeedbackService
    from matrix_desktop.services.framework_sheets import FrameworkPreview, FrameworkSheetService

# The details a sheet may lack, as (field, label, placeholder).
_DETAILS = (
    ("key", "&Key", "e.g. barnsley-place-matrix (a stored key makes a new version of it)"),
    ("version", "&Version", "e.g. v2"),
    ("name", "&Name", "from the file, or a stored version of the key"),
    ("publisher", "&Publisher", "from the file, or a stored version of the key"),
    ("published", "Publis&hed", "YYYY-MM-DD"),
    ("applies_to", "&Applies to", "place partnership, provider collaborative"),
)


def _text_view(name: str) -> QPlainTextEdit:
    view = QPlainTextEdit(readOnly=True, accessibleName=name)
    view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
    view.setTabChangesFocus(True)  # Tab moves on; arrows and Page keys scroll
    return view


class FrameworkImportDialog(QDialog):
    """Preview a framework file (spreadsheet, YAML or JSON), then import it on a clean preview."""

    def __init__(
        self,
        service: FrameworkSheetService,
        path: str,
        parent: QWidget | None = None,
        *,
        spreadsheet: bool = True,
        feedback: FeedbackService | None = None,
    ):
        super().__init__(parent)
        self.service = service
        self.feedback = feedback  # the stored version's feedback, shown beside the diff
        self.path = path
        self.preview: FrameworkPreview | None = None
        self.added: bool | None = None
        self.setWindowTitle("Import a framework")
        self.setAccessibleName("Framework import preview")
        self.resize(860, 620)
        layout = QVBoxLayout(self)
        file_label = QLabel(f"File: {path}")
        file_label.setWordWrap(True)
        layout.addWidget(file_label)
        form = QFormLayout()
        self.fields: dict[str, QLineEdit] = {}
        for field, label, placeholder in _DETAILS:
            edit = QLineEdit(placeholderText=placeholder)
            edit.setAccessibleName(label.replace("&", ""))
            edit.setEnabled(spreadsheet)  # a YAML file carries its own details
            caption = QLabel(label)
            caption.setBuddy(edit)
            form.addRow(caption, edit)
            self.fields[field] = edit
        layout.addLayout(form)
        row = QHBoxLayout()
        self.check_button = QPushButton("&Check again", accessibleName="Check again")
        self.check_button.setEnabled(spreadsheet)
        self.check_button.clicked.connect(self._on_check_button_clicked)
        self.status = QLabel(accessibleName="Preview status")
        self.status.setWordWrap(True)
        row.addWidget(self.check_button)
        row.addWidget(self.status, 1)
        layout.addLayout(row)
        self.view = _text_view("What the import would do")
        layout.addWidget(self.view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton("&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setAccessibleName("Import")
        buttons.accepted.connect(self._on_import_button_clicked)
        buttons.rejected.connect(self.reject)
        for button in buttons.buttons():
            button.setAutoDefault(False)
            button.setAccessibleName(button.text().replace("&", ""))
        # Enter in a field checks again (the default button); it never imports.
        self.check_button.setDefault(True)
        layout.addWidget(buttons)
        self.check()

    def given(self) -> dict[str, str]:
        """Return the details typed in (those left empty come from the file)."""
        return {f: e.text().strip() for f, e in self.fields.items() if e.text().strip()}

    def check(self) -> None:
        """Read the file again with the details typed in and show the preview or the problem."""
        self.preview = None
        try:
            preview = run_blocking(
                self, "Reading the framework…", self.service.preview, self.path, self.given()
            )
        except MatrixError as exc:
            self.status.setText("Not imported: fix the file (or type the details) and check again.")
            self.view.setPlainText(str(exc))
            self.import_button.setEnabled(False)
            return
        lines = preview.lines()
        if self.feedback is not None and preview.previous is not None:
            if preview.status == "new version":
                beside = self.feedback.lines_for(preview.previous, preview.framework)
                lines += [""] + beside if beside else []
        self.view.setPlainText("\n".join(lines))
        if preview.status == "conflict":
            self.status.setText("Not imported: this version is already stored with other content.")
        elif preview.status == "already present":
            self.status.setText("Already in this database: nothing to import.")
        else:
            self.preview = preview
            self.status.setText(f"Ready to import {preview.framework.title}.")
        self.import_button.setEnabled(self.preview is not None)

    def _on_check_button_clicked(self) -> None:
        self.check()

    def _on_import_button_clicked(self) -> None:
        if self.preview is None:
            return
        try:
            self.added = run_blocking(
                self, "Importing the framework…", self.service.apply, self.preview
            )
        except MatrixError as exc:
            self.status.setText("Import failed; nothing was changed.")
            self.view.setPlainText(str(exc))
            self.import_button.setEnabled(False)
            return
        self.accept()


class FrameworkDiffDialog(QDialog):
    """Choose a framework and two of its versions; read what changed from one to the other."""

    def __init__(
        self,
        frameworks: list[Framework],
        service: FrameworkSheetService,
        parent: QWidget | None = None,
        *,
        feedback: FeedbackService | None = None,
    ):
        super().__init__(parent)
        self.service = service
        self.feedback = feedback  # the old version's feedback, shown beside each statement
        self.versions: dict[str, list[Framework]] = {}
        for fw in sorted(frameworks, key=lambda f: (f.name, f.published, f.version)):
            self.versions.setdefault(fw.key, []).append(fw)
        self.setWindowTitle("Compare framework versions")
        self.setAccessibleName("Compare framework versions")
        self.resize(900, 640)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.framework_box = QComboBox(accessibleName="Framework")
        for key, versions in self.versions.items():
            self.framework_box.addItem(f"{versions[-1].name} ({len(versions)} versions)", key)
        self.old_box = QComboBox(accessibleName="From version")
        self.new_box = QComboBox(accessibleName="To version")
        for label, box in (
            ("&Framework", self.framework_box),
            ("F&rom version", self.old_box),
            ("&To version", self.new_box),
        ):
            caption = QLabel(label)
            caption.setBuddy(box)
            form.addRow(caption, box)
        layout.addLayout(form)
        self.summary = QLabel(accessibleName="Summary of the differences")
        self.summary.setWordWrap(True)
        bold = QFont(self.summary.font())
        bold.setBold(True)
        self.summary.setFont(bold)
        layout.addWidget(self.summary)
        self.view = _text_view("Differences between the versions")
        layout.addWidget(self.view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        for button in buttons.buttons():
            button.setAccessibleName(button.text().replace("&", ""))
        layout.addWidget(buttons)
        self.framework_box.currentIndexChanged.connect(self._on_framework_box_changed)
        self.old_box.currentIndexChanged.connect(self._on_version_changed)
        self.new_box.currentIndexChanged.connect(self._on_version_changed)
        # Start on a framework with two versions, if there is one.
        start = next((i for i, v in enumerate(self.versions.values()) if len(v) > 1), 0)
        self.framework_box.setCurrentIndex(start)
        self._on_framework_box_changed()

    def _on_framework_box_changed(self) -> None:
        key = self.framework_box.currentData()
        versions = self.versions.get(key, [])
        for box in (self.old_box, self.new_box):
            box.blockSignals(True)
            box.clear()
            for fw in versions:
                box.addItem(f"{fw.version} (published {fw.published})", fw.version)
            box.blockSignals(False)
        if versions:
            self.old_box.setCurrentIndex(max(len(versions) - 2, 0))
            self.new_box.setCurrentIndex(len(versions) - 1)
        self._on_version_changed()

    def _on_version_changed(self) -> None:
        key, old, new = (
            self.framework_box.currentData(),
            self.old_box.currentData(),
            self.new_box.currentData(),
        )
        if key is None or old is None or new is None:
            self.summary.setText("No framework to compare.")
            self.view.setPlainText("")
            return
        try:
            diff = self.service.diff(key, old, new)
        except MatrixError as exc:
            self.summary.setText("Cannot compare these versions.")
            self.view.setPlainText(str(exc))
            return
        items = []
        if self.feedback is not None and old != new:
            items = self.feedback.beside_diff(key, old, new)
        beside = diff_feedback_lines(items, old)
        if old == new:
            self.summary.setText("The same version is chosen twice: choose another to compare.")
        else:
            total = sum(sum(i.counts.values()) for i in items)
            feedback = f" Feedback on {old}: {total} (shown below the changes)." if total else ""
            self.summary.setText(diff.summary() + feedback)
        self.view.setPlainText(diff.text() + ("\n\n" + "\n".join(beside) if beside else ""))
