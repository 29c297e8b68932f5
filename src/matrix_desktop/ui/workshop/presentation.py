"""Presentation mode (F11): one domain per screen, full screen, type readable from the back."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from matrix_desktop.core.rules import suggested_stage
from matrix_desktop.ui.chart_canvas import RadarView
from matrix_desktop.ui.workshop.stage_cards import AGREED_COLOUR

if TYPE_CHECKING:
    from matrix_desktop.ui.workshop.screen import AssessmentScreen

PROJECTOR_DPI = 150  # the radar's text in points, scaled up for the back of the room
BIGGEST_PX, SMALLEST_PX = 30, 15  # statement text; shrinks only as far as a projector allows
HELP = "←/→ domain · 1-4 stage · R radar · Esc leave"


class _Column(QFrame):
    """One stage on the projector: its name, AGREED when chosen, its statements."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("column")
        self.name = QLabel(self)
        self.name.setObjectName("stageName")  # never wrapped: "3 Maturing" stays one line
        self.marks = QLabel(self)
        self.marks.setObjectName("marks")
        self.body = QLabel(self)
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(2)
        layout.addWidget(self.name)
        layout.addWidget(self.marks)
        layout.addWidget(self.body, 1)


class PresentationWindow(QWidget):
    """A full-screen view of the screen's current domain; keys drive the same AssessmentScreen."""

    closed = Signal()

    def __init__(self, screen: AssessmentScreen):
        super().__init__(None, Qt.WindowType.Window)
        self.screen = screen
        self.setWindowTitle("Presentation")
        self.setAccessibleName("Presentation mode")
        self.setObjectName("presentation")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(f"""
            QWidget#presentation {{ background: white; }}
            QLabel {{ background: transparent; color: #111; }}
            QLabel#title {{ font-size: 40px; font-weight: bold; }}
            QLabel#help, QLabel#counter {{ font-size: 20px; color: #333; }}
            QLabel#stageName {{ font-size: 30px; font-weight: bold; }}
            QLabel#marks {{ font-size: 22px; font-weight: bold; color: {AGREED_COLOUR}; }}
            /* the same border + padding either way, so every column's text starts level */
            QFrame#column {{ border: 2px solid #888; border-radius: 10px; padding: 6px; }}
            QFrame#column[agreed="true"] {{ border: 8px solid {AGREED_COLOUR}; padding: 0px;
                                            background: #e6f0f8; }}
            QLabel#message {{ font-size: 24px; color: #8a3b00; font-weight: bold; }}
        """)
        self.counter = QLabel(self)
        self.counter.setObjectName("counter")
        self.title = QLabel(self)
        self.title.setObjectName("title")
        self.title.setWordWrap(True)
        self.title.setAccessibleName("Domain")
        self.message = QLabel(self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.help = QLabel(HELP, self)
        self.help.setObjectName("help")
        self.columns = [_Column(self) for _ in screen.state.framework.stages]
        self.font_px = BIGGEST_PX
        self.radar = RadarView(self, name="Radar")
        self.radar.figure.set_dpi(PROJECTOR_DPI)
        self.radar.setVisible(False)
        row = QHBoxLayout()
        row.setSpacing(10)
        for c in self.columns:
            row.addWidget(c, 1)
        row.addWidget(self.radar, 1)
        self.row = row
        top = QHBoxLayout()  # one line for the domain, where it is, and the keys
        top.addWidget(self.title, 1)
        side = QVBoxLayout()
        side.addWidget(self.counter, 0, Qt.AlignmentFlag.AlignRight)
        side.addWidget(self.help, 0, Qt.AlignmentFlag.AlignRight)
        top.addLayout(side)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addLayout(row, 1)
        self.refresh()

    @property
    def radar_shown(self) -> bool:
        return not self.radar.isHidden()

    def refresh(self) -> None:
        """Show the screen's current domain as it stands."""
        state, d = self.screen.state, self.screen.current_domain
        rating = state.record.rating(d.key)
        fw = state.framework
        suggested = suggested_stage(fw, d.key, rating.statements_met)
        self.counter.setText(f"Domain {d.number} of {len(fw.domains)}")
        self.title.setText(f"{d.number}. {d.title}")
        self.message.setText(self.screen.message.text())
        self.message.setVisible(bool(self.screen.message.text()))
        met = set(rating.statements_met)
        for column, stage in zip(self.columns, fw.stages, strict=True):
            agreed = stage.key == rating.stage
            marks = ["AGREED"] if agreed else []
            if stage.key == suggested:
                marks.append("suggested")
            column.name.setText(f"{stage.position}  {stage.name}")
            column.marks.setText(f"✔ {' · '.join(marks)}" if marks else " ")
            statements = d.statements_for(stage.key)
            column.body.setText(
                "".join(
                    f"<p style='margin:0 0 0.35em 0'>{'✔' if s.id in met else '•'} "
                    f"{html.escape(s.text)}</p>"
                    for s in statements
                )
                or f"<i>No descriptor is published for {html.escape(stage.name)} in this "
                "matrix; it is still a valid stage.</i>"
            )
            column.setAccessibleName(f"{stage.name}{', agreed' if agreed else ''}")
            # wider columns for more text: a stage with no descriptor needs little room
            weight = sum(len(s.text) for s in statements)
            self.row.setStretchFactor(column, 600 + weight)
            column.setProperty("agreed", agreed)
            column.style().unpolish(column)
            column.style().polish(column)
        if self.radar_shown:
            self.radar.set_chart(state.radar_chart(state.options, numbered=False))
        self._fit_text()

    def _fit_text(self) -> None:
        """Use the largest statement size at which every column fits on the screen."""
        if not self.isVisible():
            return
        self.layout().activate()
        room = [(c.body.width(), c.body.height()) for c in self.columns]
        for px in range(BIGGEST_PX, SMALLEST_PX - 1, -1):
            font = self.font()
            font.setPixelSize(px)
            fits = True
            for c, (w, h) in zip(self.columns, room, strict=True):
                c.body.setFont(font)
                fits = fits and c.body.heightForWidth(w) <= h
            if fits:
                break
        self.font_px = px

    def toggle_radar(self) -> None:
        """Show the radar in place of the stages, or the stages again."""
        show = not self.radar_shown
        for c in self.columns:
            c.setVisible(not show)
        self.radar.setVisible(show)
        self.refresh()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, text = event.key(), event.text()
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_PageDown, Qt.Key.Key_Space):
            self.screen.step_domain(1)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_PageUp):
            self.screen.step_domain(-1)
        elif key in (Qt.Key.Key_Escape, Qt.Key.Key_F11):
            self.close()
        elif key == Qt.Key.Key_R:
            self.toggle_radar()
        elif text.isdigit() and len(text) == 1:
            n = int(text)
            if n == 0:
                self.screen.set_stage(None)
            elif n <= len(self.screen.state.framework.stages):
                self.screen.set_stage_position(n)
        elif key == Qt.Key.Key_Delete:
            self.screen.set_stage(None)
        elif event.matches(QKeySequence.StandardKey.Undo):
            self.screen.undo()
        elif event.matches(QKeySequence.StandardKey.Redo):
            self.screen.redo()
        else:
            super().keyPressEvent(event)
            return
        self.refresh()
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_text()

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        self._fit_text()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.emit()
        super().closeEvent(event)
