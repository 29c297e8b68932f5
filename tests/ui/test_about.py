"""The About dialog lists every bundled component's licence and shows its text."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt, QUrl

from matrix_desktop.paths import licenses_dir
from matrix_desktop.ui.about import AboutDialog, licence_text, third_party

REQUIRED = ("PySide6", "matplotlib", "ReportLab", "SQLAlchemy", "DejaVu")


def test_every_listed_licence_file_exists_and_the_required_ones_are_there():
    parts = third_party()
    names = " ".join(p.name for p in parts)
    for required in REQUIRED:
        assert required in names
    for part in parts:
        assert (licenses_dir() / part.file).is_file(), part.file
    qt = next(p for p in parts if "PySide6" in p.name)
    assert "LGPL" in qt.licence
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in licence_text(qt.file)


def test_licence_text_stays_inside_the_licences_folder():
    assert "No licence text" in licence_text("../fonts/DejaVuSans.ttf")


def test_dialog_shows_a_licence_and_goes_back(qtbot):
    dialog = AboutDialog("/tmp/x.sqlite3")
    qtbot.addWidget(dialog)
    assert "SQLAlchemy" in dialog.text.toPlainText()
    assert not dialog.back_button.isEnabled()
    index = json.loads((licenses_dir() / "index.json").read_text(encoding="utf-8"))
    sqlalchemy = next(r["file"] for r in index if r["name"] == "SQLAlchemy")
    dialog.text.anchorClicked.emit(QUrl(f"licence:{sqlalchemy}"))
    assert "Permission is hereby granted" in dialog.text.toPlainText()
    qtbot.mouseClick(dialog.back_button, Qt.MouseButton.LeftButton)
    assert "Third-party software" in dialog.text.toPlainText()
