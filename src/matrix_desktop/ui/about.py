"""The About dialog: version, where the data lives, and third-party licences with their texts."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from matrix_desktop import APP_DISPLAY_NAME, __version__
from matrix_desktop.paths import licenses_dir

LICENCE_SCHEME = "licence"


@dataclass(frozen=True)
class ThirdParty:
    """One bundled component and the file holding its licence text."""

    name: str
    version: str
    licence: str
    file: str


def third_party(folder: Path | None = None) -> list[ThirdParty]:
    """Return the components listed in licenses/index.json (empty if it is missing)."""
    index = (folder or licenses_dir()) / "index.json"
    try:
        rows = json.loads(index.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [ThirdParty(r["name"], r["version"], r["licence"], r["file"]) for r in rows]


def about_html(database: str | None, components: list[ThirdParty] | None = None) -> str:
    parts = third_party() if components is None else components
    rows = "".join(
        f"<tr><td>{html.escape(c.name)}</td><td>{html.escape(c.version)}</td>"
        f"<td>{html.escape(c.licence)}</td>"
        f"<td><a href='{LICENCE_SCHEME}:{html.escape(c.file)}'>read</a></td></tr>"
        for c in parts
    )
    if not rows:
        where = html.escape(str(licenses_dir()))
        rows = f"<tr><td colspan='4'>Licence texts not found in {where}</td></tr>"
    return (
        f"<h2>{APP_DISPLAY_NAME} {__version__}</h2>"
        "<p>Offline maturity-matrix self-assessment for integrated health and care. "
        "Works with no network: every score stays in the local database.</p>"
        f"<p><b>Database:</b> {html.escape(database or 'none open')}</p>"
        "<h3>Third-party software</h3>"
        "<p>Qt and Qt for Python (PySide6) are used under the GNU LGPL version 3, as separate "
        "shared libraries: you may replace them with your own build of the same version.</p>"
        "<table cellpadding='3'><tr><th align='left'>Component</th><th align='left'>Version</th>"
        "<th align='left'>Licence</th><th align='left'>Text</th></tr>"
        f"{rows}</table>"
        f"<p>The licence texts are also in the folder {html.escape(str(licenses_dir()))}.</p>"
    )


def licence_text(file_name: str) -> str:
    """Return a licence text by its file name; never reads outside the licences folder."""
    folder = licenses_dir().resolve()
    path = (folder / file_name).resolve()
    if path.parent != folder or not path.is_file():
        return f"No licence text called {file_name!r} in {folder}."
    return path.read_text(encoding="utf-8", errors="replace")


class AboutDialog(QDialog):
    """Version and data location; the third-party table links to each licence text."""

    def __init__(self, database: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self._database = database
        self.setWindowTitle(f"About {APP_DISPLAY_NAME}")
        self.setAccessibleName("About")
        self.text = QTextBrowser()
        self.text.setAccessibleName("About text")
        self.text.setOpenLinks(False)
        self.text.setOpenExternalLinks(False)
        self.text.anchorClicked.connect(self._on_text_anchor_clicked)
        self.back_button = QPushButton("&Back to About")
        self.back_button.setAccessibleName("Back to About")
        self.back_button.clicked.connect(self._on_back_button_clicked)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.back_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(640, 560)
        self._on_back_button_clicked()

    def show_licence(self, file_name: str) -> None:
        self.text.setPlainText(licence_text(file_name))
        self.back_button.setEnabled(True)

    def _on_text_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() == LICENCE_SCHEME:
            self.show_licence(url.path())

    def _on_back_button_clicked(self) -> None:
        self.text.setHtml(about_html(self._database))
        self.back_button.setEnabled(False)
