"""The central pages of the main window that need no assessment open: welcome and entity."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from matrix_desktop.ui.models import AssessmentTableModel


def _button(text: str, name: str, slot) -> QPushButton:
    b = QPushButton(text)
    b.setAccessibleName(name)
    b.clicked.connect(slot)
    return b


class WelcomePage(QWidget):
    """The empty state: what the app is for, and one click to open the example data."""

    open_examples = Signal()
    set_up_system = Signal()
    new_assessment = Signal()
    import_files = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Welcome")
        title = QLabel("<h1>Matrix Desktop</h1>")
        self.message = QLabel(
            "Score your partnership domain by domain against a published maturity matrix, "
            "see the radar move, and export the reports boards read.<br><br>"
            "This database holds no assessments yet."
        )
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Welcome message")
        self.examples_button = _button(
            "Open the example data (five SYB places, four collaboratives)",
            "Open the example data",
            self.open_examples.emit,
        )
        self.examples_button.setDefault(True)
        self.setup_button = _button(
            "Set up your system…",
            "Set up your system",
            self.set_up_system.emit,
        )
        self.setup_button.setAccessibleDescription(
            "Name your system, its places and collaboratives, their members and a first round"
        )
        self.new_button = _button("New assessment…", "New assessment", self.new_assessment.emit)
        self.import_button = _button("Import files…", "Import files", self.import_files.emit)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        widgets = (
            title,
            self.message,
            self.setup_button,
            self.examples_button,
            self.new_button,
            self.import_button,
        )
        for w in widgets:
            layout.addWidget(w, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.message.setFixedWidth(560)
        self._fit_message()

    def _fit_message(self) -> None:
        # A wrapped label centred in a column gets its one-line height; give it all its lines.
        self.message.setFixedHeight(self.message.heightForWidth(560))

    def set_has_data(self, has_data: bool) -> None:
        if has_data:
            self.message.setText(
                "Choose a place partnership or provider collaborative on the left to see its "
                "assessments, or start a new assessment."
            )
        self.examples_button.setVisible(not has_data)
        self.setup_button.setVisible(not has_data)
        self._fit_message()


class EntityPage(QWidget):
    """One entity: its members and its assessments by round, with the actions on them."""

    open_assessment = Signal(str)
    new_assessment = Signal()
    export_assessments = Signal(list)
    delete_assessments = Signal(list)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Entity")
        self.title = QLabel()
        self.title.setAccessibleName("Entity name")
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setAccessibleName("Entity details")
        self.model = AssessmentTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Assessments")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)  # Tab goes on to the buttons; arrows move rows
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.activated.connect(self._on_table_double_clicked)
        self.open_button = _button("Open", "Open assessment", self._on_open_clicked)
        self.new_button = _button("New assessment…", "New assessment", self.new_assessment.emit)
        self.export_button = _button(
            "Export…", "Export selected assessments", self._on_export_clicked
        )
        delete_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete_key.activated.connect(self._on_delete_clicked)
        buttons = QHBoxLayout()
        for b in (self.open_button, self.new_button, self.export_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        from PySide6.QtWidgets import QSplitter

        from matrix_desktop.ui.progress import ProgressPanel

        self.progress = ProgressPanel()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 2)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.progress.message)
        left_layout.addWidget(self.progress.table, 3)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.progress)
        split.setChildrenCollapsible(False)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([480, 520])
        self.splitter = split
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.detail)
        layout.addWidget(split, 1)

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [r.assessment_id for r in map(self.model.row_at, rows) if r is not None]

    def _on_table_double_clicked(self, index) -> None:
        row = self.model.row_at(index.row())
        if row is not None:
            self.open_assessment.emit(row.assessment_id)

    def _on_open_clicked(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.open_assessment.emit(ids[0])

    def delete_selected(self) -> None:
        """Ask to move the selected assessments to the trash (Delete key, Edit menu)."""
        self._on_delete_clicked()

    def _on_delete_clicked(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.delete_assessments.emit(ids)

    def _on_export_clicked(self) -> None:
        ids = self.selected_ids() or [
            r.assessment_id for r in map(self.model.row_at, range(self.model.rowCount())) if r
        ]
        self.export_assessments.emit(ids)
