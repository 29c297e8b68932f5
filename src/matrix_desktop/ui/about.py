"""The About dialog: version, where the data lives, and third-party licences."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from matrix_desktop import APP_DISPLAY_NAME, __version__

THIRD_PARTY = (
    ("Qt for Python (PySide6)", "LGPL-3.0", "The Qt Company"),
    ("matplotlib", "Matplotlib licence (PSF-style)", "Matplotlib Development Team"),
    ("reportlab", "BSD-3-Clause", "ReportLab Europe Ltd"),
    ("SQLAlchemy", "MIT", "the SQLAlchemy authors"),
    ("SQLModel", "MIT", "Sebastián Ramírez"),
    ("Alembic", "MIT", "the Alembic authors"),
    ("pydantic", "MIT", "the pydantic authors"),
    ("PyYAML", "MIT", "Ingy döt Net and Kirill Simonov"),
    ("openpyxl", "MIT", "the openpyxl authors"),
    ("DejaVu fonts", "Bitstream Vera / DejaVu licence (free)", "DejaVu fonts team"),
)


def about_html(database: str | None) -> str:
    rows = "".join(f"<tr><td>{n}</td><td>{lic}</td><td>{who}</td></tr>" for n, lic, who in THIRD_PARTY)
    return (
        f"<h2>{APP_DISPLAY_NAME} {__version__}</h2>"
        "<p>Offline maturity-matrix self-assessment for integrated health and care. "
        "Works with no network: every score stays in the local database.</p>"
        f"<p><b>Database:</b> {database or 'none open'}</p>"
        "<h3>Third-party software</h3>"
        f"<table cellpadding='3'><tr><th align='left'>Component</th><th align='left'>Licence</th>"
        f"<th align='left'>Copyright</th></tr>{rows}</table>"
        "<p>Qt is used under the GNU LGPL version 3; you may replace the Qt libraries in "
        "this application with your own build.</p>"
    )


class AboutDialog(QDialog):
    def __init__(self, database: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_DISPLAY_NAME}")
        self.setAccessibleName("About")
        text = QTextBrowser()
        text.setAccessibleName("About text")
        text.setOpenExternalLinks(False)
        text.setHtml(about_html(database))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)
        self.resize(560, 480)
