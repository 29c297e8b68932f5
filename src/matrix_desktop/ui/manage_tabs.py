"""The Systems, Partnerships and Rounds tabs of the Manage dialog: a list and a form each.

Choosing a row fills the form; Add makes a new one from the form, Save changes the chosen
one, Archive and Restore take it out of or back into the lists. Each change goes through
ui.setup_actions (audited by the services, undoable).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from matrix_desktop.core.errors import AlreadyExists, MatrixError, ValidationFailed
from matrix_desktop.core.framework import EntityKind
from matrix_desktop.ui.combos import combo_value, select_value
from matrix_desktop.ui.context import AppContext
from matrix_desktop.ui.interaction import interaction
from matrix_desktop.ui.setup_actions import LIST_FILTER, apply_setup, import_entity_list

SHOW_EXISTING = "Show the existing one"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class _Tab(QWidget):
    """A list of one kind of thing with a form and the actions on it."""

    kind = ""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        assert ctx.services is not None
        self.services = ctx.services
        self.list = QListWidget()
        self.list.setAccessibleName(f"{self.kind.capitalize()} list")
        self._by_id: dict[str, Any] = {}
        self.show_archived = QCheckBox("Show arc&hived")
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Problem")
        self.error.setStyleSheet("color: #8a3b00; font-weight: bold;")
        self.add_button = QPushButton("&Add")
        self.save_button = QPushButton("Sa&ve changes")
        self.archive_button = QPushButton("Arc&hive")
        self.restore_button = QPushButton("Res&tore")
        for b, name in (
            (self.add_button, f"Add a {self.kind} from the form"),
            (self.save_button, f"Save the changes to the chosen {self.kind}"),
            (self.archive_button, f"Archive the chosen {self.kind}"),
            (self.restore_button, f"Restore the chosen {self.kind}"),
        ):
            b.setAccessibleName(name)
            b.setAutoDefault(False)
        self.buttons = QHBoxLayout()
        for b in (self.add_button, self.save_button, self.archive_button, self.restore_button):
            self.buttons.addWidget(b)
        self.buttons.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        left.addWidget(self.show_archived)
        right = QVBoxLayout()
        right.addLayout(self.form)
        right.addLayout(self.buttons)
        right.addWidget(self.error)
        right.addStretch(1)
        row = QHBoxLayout(self)
        row.addLayout(left, 2)
        row.addLayout(right, 3)
        self.list.currentItemChanged.connect(self._on_list_currentItemChanged)
        self.show_archived.toggled.connect(lambda _on: self.reload())
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.archive_button.clicked.connect(lambda: self._archive(True))
        self.restore_button.clicked.connect(lambda: self._archive(False))

    # -- to fill in by each tab ---------------------------------------------------------
    def rows(self) -> list[Any]:
        raise NotImplementedError

    def label(self, row: Any) -> str:
        return str(row.name)

    def fill(self, row: Any | None) -> None:
        raise NotImplementedError

    def add(self) -> Callable[[], Sequence[Any]]:
        raise NotImplementedError

    def save(self, row: Any) -> list[Callable[[], Any]]:
        raise NotImplementedError

    # -- shared --------------------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        current = select or self.current_id()
        self.list.blockSignals(True)
        self.list.clear()
        self._by_id = {}  # the rows shown, by id (items hold only the id: a plain string)
        for row in self.rows():
            if row.archived and not self.show_archived.isChecked():
                continue
            text = self.label(row) + ("  (archived)" if row.archived else "")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self._by_id[row.id] = row
            self.list.addItem(item)
            if row.id == current:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self._on_list_currentItemChanged(self.list.currentItem(), None)

    def current(self) -> Any | None:
        item = self.list.currentItem()
        return None if item is None else self._by_id.get(item.data(Qt.ItemDataRole.UserRole))

    def current_id(self) -> str | None:
        row = self.current()
        return None if row is None else row.id

    def _on_list_currentItemChanged(self, item: Any, _previous: Any) -> None:
        row = self.current()
        if item is not None:
            self.fill(row)
        self.save_button.setEnabled(row is not None)
        self.archive_button.setEnabled(row is not None and not row.archived)
        self.restore_button.setEnabled(row is not None and row.archived)

    def _run(self, steps: list[Callable[[], Any]], text: str) -> list[Any] | None:
        """Apply steps (each returning an applied edit) as one undoable change."""
        done: list[Any] = []
        self.error.clear()
        try:
            for step in steps:
                result = step()
                done += result if isinstance(result, list) else [result]
        except AlreadyExists as exc:
            self._report(str(exc))
            if exc.what == self.kind and (
                interaction.choose(self, "Already exists", str(exc), [SHOW_EXISTING])
                == SHOW_EXISTING
            ):
                self.show_archived.setChecked(True)  # the existing one may be archived
                self.reload(select=exc.existing_id)
        except MatrixError as exc:
            self._report(str(exc))
        finally:
            if done:
                apply_setup(self.ctx, lambda: done, text)
        return done

    def _report(self, message: str) -> None:
        self.error.setText(message)

    def _on_add_button_clicked(self) -> None:
        before = {r.id for r in self.rows()}
        done = self._run([self.add()], f"add {self.kind}")
        if done:
            new = next((e.target_id for e in done if e.target_id not in before), None)
            self.reload(select=new)
            self.list.setFocus()

    def _on_save_button_clicked(self) -> None:
        row = self.current()
        if row is None:
            return
        steps = self.save(row)
        if steps and self._run(steps, f"change {self.kind} {row.name}"):
            self.reload(select=row.id)

    def _archive(self, archive: bool) -> None:
        row = self.current()
        if row is None:
            return
        setup = self.services.setup
        kind = self.kind  # bound now: the lambda runs at once
        step = (
            (lambda: setup.archive(kind, row.id))  # type: ignore[arg-type]
            if archive
            else (lambda: setup.restore(kind, row.id))  # type: ignore[arg-type]
        )
        if self._run([step], f"{'archive' if archive else 'restore'} {row.name}"):
            self.reload(select=row.id)


class SystemsTab(_Tab):
    kind = "system"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.name = QLineEdit()
        self.short_name = QLineEdit()
        self.short_name.setPlaceholderText("e.g. SYB ICS (shown in the navigator)")
        for text, w in (("&Name", self.name), ("Short na&me", self.short_name)):
            label = QLabel(text)
            label.setBuddy(w)
            self.form.addRow(label, w)
        self.reload()

    def rows(self) -> list[Any]:
        return self.services.catalog.systems()

    def fill(self, row: Any | None) -> None:
        self.name.setText(row.name if row else "")
        self.short_name.setText(row.short_name if row else "")

    def add(self) -> Callable[[], Any]:
        name, short = self.name.text(), self.short_name.text()
        return lambda: self.services.setup.add_system(name, short)

    def save(self, row: Any) -> list[Callable[[], Any]]:
        setup, steps = self.services.setup, []
        name, short = self.name.text(), self.short_name.text().strip()
        if name.strip() != row.name:
            steps.append(lambda: setup.rename("system", row.id, name))
        if short != row.short_name:
            steps.append(lambda: setup.edit_system(row.id, short))
        return steps


class EntitiesTab(_Tab):
    kind = "entity"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.system = QComboBox()
        self.name = QLineEdit()
        self.entity_kind = QComboBox()
        for kind in (
            EntityKind.PLACE_PARTNERSHIP,
            EntityKind.PROVIDER_COLLABORATIVE,
            EntityKind.INTEGRATED_CARE_SYSTEM,
        ):
            self.entity_kind.addItem(kind.label, kind.value)
        self.members = QPlainTextEdit()
        self.members.setTabChangesFocus(True)
        self.members.setPlaceholderText("One member organisation a line")
        for text, w in (
            ("S&ystem", self.system),
            ("&Name", self.name),
            ("&Kind", self.entity_kind),
            ("&Members", self.members),
        ):
            label = QLabel(text)
            label.setBuddy(w)
            self.form.addRow(label, w)
        self.import_button = QPushButton("&Import list…")
        self.import_button.setAccessibleName("Import entities and members from CSV or XLSX")
        self.export_button = QPushButton("E&xport list…")
        self.export_button.setAccessibleName("Export entities and members to CSV or XLSX")
        for b in (self.import_button, self.export_button):
            b.setAutoDefault(False)
            self.buttons.addWidget(b)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.reload()

    def reload(self, select: str | None = None) -> None:
        chosen = combo_value(self.system, str) if hasattr(self, "system") else None
        self.system.clear()
        for s in self.services.catalog.systems():
            if not s.archived:
                self.system.addItem(s.name, s.id)
        if chosen:
            select_value(self.system, chosen)
        super().reload(select)

    def rows(self) -> list[Any]:
        systems = {s.id: s.name for s in self.services.catalog.systems()}
        self._systems = systems
        return sorted(
            self.services.catalog.entities(),
            key=lambda e: (systems.get(e.system_id, ""), e.kind.value, e.name.casefold()),
        )

    def label(self, row: Any) -> str:
        return f"{row.name} ({row.kind.label}, {self._systems.get(row.system_id, '?')})"

    def fill(self, row: Any | None) -> None:
        if row is None:
            return
        select_value(self.system, row.system_id)
        self.name.setText(row.name)
        select_value(self.entity_kind, row.kind.value)
        self.members.setPlainText("\n".join(row.members))

    def add(self) -> Callable[[], Any]:
        system_id = combo_value(self.system, str)
        name, kind = self.name.text(), combo_value(self.entity_kind, str) or ""
        members = _lines(self.members.toPlainText())
        if system_id is None:

            def refuse() -> Any:
                raise ValidationFailed("Add a system first (the Systems tab), then its entities.")

            return refuse
        return lambda: self.services.setup.add_entity(system_id, name, kind, members)

    def save(self, row: Any) -> list[Callable[[], Any]]:
        setup, steps = self.services.setup, []
        name, kind = self.name.text(), combo_value(self.entity_kind, str)
        members = _lines(self.members.toPlainText())
        if name.strip() != row.name:
            steps.append(lambda: setup.rename("entity", row.id, name))
        changes: dict[str, Any] = {}
        if tuple(members) != row.members:
            changes["members"] = members
        if kind != row.kind.value:
            changes["kind"] = kind
        if changes:
            steps.append(lambda: setup.edit_entity(row.id, **changes))
        return steps

    def _on_import_button_clicked(self) -> None:
        self.error.clear()
        if import_entity_list(self.ctx, self, self._report):
            self.reload()

    def _on_export_button_clicked(self) -> None:
        from matrix_desktop.services.entity_list import entity_list_rows, write_entity_list

        path = interaction.save_file(self, "Export the entity list", "entities.xlsx", LIST_FILTER)
        if not path:
            return
        try:
            write_entity_list(entity_list_rows(self.services), path)
        except MatrixError as exc:
            interaction.error(self, "Not exported", str(exc))
            return
        interaction.info(self, "Export the entity list", f"Saved to:\n{path}")


class RoundsTab(_Tab):
    kind = "round"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. 2026/27 Q1")
        self.order = QSpinBox()
        self.order.setRange(-9999, 9999)
        self.starts = QLineEdit()
        self.ends = QLineEdit()
        for w in (self.starts, self.ends):
            w.setPlaceholderText("optional: YYYY-MM-DD or DD/MM/YYYY")
        for text, w in (
            ("&Name", self.name),
            ("&Order", self.order),
            ("&Starts", self.starts),
            ("&Ends", self.ends),
        ):
            label = QLabel(text)
            label.setBuddy(w)
            self.form.addRow(label, w)
        self.reload()
        self.order.setValue(max((r.sequence for r in self.rows()), default=0) + 1)

    def rows(self) -> list[Any]:
        return self.services.catalog.rounds()

    def label(self, row: Any) -> str:
        dates = " to ".join(d for d in (row.starts_on, row.ends_on) if d)
        return f"{row.sequence}. {row.name}" + (f" ({dates})" if dates else "")

    def fill(self, row: Any | None) -> None:
        if row is None:
            return
        self.name.setText(row.name)
        self.order.setValue(row.sequence)
        self.starts.setText(row.starts_on or "")
        self.ends.setText(row.ends_on or "")

    def add(self) -> Callable[[], Any]:
        name, order = self.name.text(), self.order.value()
        starts, ends = self.starts.text().strip() or None, self.ends.text().strip() or None
        return lambda: self.services.setup.add_round(name, order, starts, ends)

    def save(self, row: Any) -> list[Callable[[], Any]]:
        setup, steps = self.services.setup, []
        name = self.name.text()
        if name.strip() != row.name:
            steps.append(lambda: setup.rename("round", row.id, name))
        changes: dict[str, Any] = {}
        if self.order.value() != row.sequence:
            changes["sequence"] = self.order.value()
        for field, box in (("starts_on", self.starts), ("ends_on", self.ends)):
            if (box.text().strip() or None) != getattr(row, field):
                changes[field] = box.text().strip() or None
        if changes:
            steps.append(lambda: setup.edit_round(row.id, **changes))
        return steps
