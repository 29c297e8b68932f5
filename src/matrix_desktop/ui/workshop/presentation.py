"""Presentation mode (F11): one domain per screen, full screen, type readable from the back."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from matrix_desktop.core.rules import suggested_stage
from matrix_desktop.ui.chart_canvas import RadarView
from matrix_desktop.ui.workshop.stage_cards import AGREED_COLOUR

if TYPE_CHECKING:
    from matrix_desktop.core.framework import Domain
    from matrix_desktop.ui.workshop.state import WorkshopState


class _Text(Protocol):
    def text(self) -> str: ...


class PresentationHost(Protocol):
    """What the presentation needs of the screen it shows (the workshop's AssessmentScreen)."""

    @property
    def state(self) -> WorkshopState: ...

    @property
    def current_domain(self) -> Domain: ...

    @property
    def message(self) -> _Text: ...

    def step_domain(self, step: int) -> None: ...

    def set_stage(self, stage: str | None) -> bool: ...

    def set_stage_position(self, position: int) -> None: ...

    def undo(self) -> None: ...

    def redo(self) -> None: ...


PROJECTOR_DPI = 150  # the radar's text in points, scaled up for the back of the room
BIGGEST_PX, SMALLEST_PX = 30, 15  # statement text; shrinks only as far as a projector allows
# (largest, smallest) pixel sizes of the lines round the statements, fitted to the screen
TITLE_PX = (40, 28)
STAGE_PX = (30, 20)  # at 20 px four stage names fit side by side even on an 800 px screen
MARKS_PX = (22, 18)  # below that the marks wrap rather than shrink further
FOOTER_PX = 20
HELP_PX = (20, 12)  # the key help shrinks to fit beside "more below"; it is for the presenter
HELP = "←/→ domain · PgDn/PgUp page · 1-4 stage · R radar · Esc leave"
MORE_BELOW = "▼ more below (PgDn)"
MORE_ABOVE = "▲ more above (PgUp)"


def _font(base: QFont, px: int, *, bold: bool = False, italic: bool = False) -> QFont:
    font = QFont(base)
    font.setPixelSize(px)
    font.setBold(bold)
    font.setItalic(italic)
    return font


class _Column(QFrame):
    """One stage on the projector: its name, AGREED when chosen, its statements."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("column")
        self.name = QLabel(self)
        self.name.setObjectName("stageName")  # never wrapped: "3 Maturing" stays one line
        # The name's own width does not widen the column: its size is fitted to the column.
        self.name.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.marks = QLabel(self)
        self.marks.setObjectName("marks")
        self.marks.setWordWrap(True)  # "✔ AGREED · suggested" wraps only on the narrowest screen
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
    """A full-screen view of the screen's current domain; keys drive the same screen (its host).

    The statements take the largest size at which a domain fits the screen; when even the
    smallest readable size does not fit (a long domain on a 1024x768 projector), they scroll,
    a page at a time with Page Down / Page Up, and the footer says there is more.
    """

    closed = Signal()

    def __init__(self, screen: PresentationHost):
        super().__init__(None, Qt.WindowType.Window)
        self.screen = screen
        self.setWindowTitle("Presentation")
        self.setAccessibleName("Presentation mode")
        self.setObjectName("presentation")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        # Sizes are set in code (fitted to the screen); the style sheet gives colours and frames.
        self.setStyleSheet(f"""
            QWidget#presentation, QWidget#sheet {{ background: white; }}
            QLabel {{ background: transparent; color: #111; }}
            QLabel#help, QLabel#counter {{ color: #333; }}
            QLabel#more {{ color: {AGREED_COLOUR}; }}
            QLabel#marks {{ color: {AGREED_COLOUR}; }}
            /* the same border + padding either way, so every column's text starts level */
            QFrame#column {{ border: 2px solid #888; border-radius: 10px; padding: 6px; }}
            QFrame#column[agreed="true"] {{ border: 8px solid {AGREED_COLOUR}; padding: 0px;
                                            background: #e6f0f8; }}
            QLabel#message {{ color: #8a3b00; }}
        """)
        base = self.font()
        self.title = QLabel(self)
        self.title.setObjectName("title")
        self.title.setWordWrap(True)
        self.title.setAccessibleName("Domain")
        self.title.setFont(_font(base, TITLE_PX[0], bold=True))
        self.message = QLabel(self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setFont(_font(base, FOOTER_PX, bold=True))
        self.columns = [_Column(self) for _ in screen.state.framework.stages]
        self.font_px = BIGGEST_PX
        self.radar = RadarView(self, name="Radar")
        self.radar.figure.set_dpi(PROJECTOR_DPI)
        self.radar.setVisible(False)

        self.sheet = QWidget()
        self.sheet.setObjectName("sheet")
        self.sheet.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(self.sheet)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(10)
        for c in self.columns:
            row.addWidget(c, 1)
        self.row = row
        self.sheet_scroll = QScrollArea(self)
        self.sheet_scroll.setObjectName("sheetScroll")
        self.sheet_scroll.setAccessibleName("Stages and statements")
        self.sheet_scroll.setWidgetResizable(True)
        self.sheet_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.sheet_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sheet_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys below drive it
        self.sheet_scroll.setWidget(self.sheet)
        bar = self.sheet_scroll.verticalScrollBar()
        bar.valueChanged.connect(self._on_bar_changed)
        bar.rangeChanged.connect(self._on_bar_changed)

        footer_font = _font(base, FOOTER_PX)
        self.counter = QLabel(self)
        self.counter.setObjectName("counter")
        self.more = QLabel(self)
        self.more.setObjectName("more")
        self.more.setFont(_font(base, FOOTER_PX, bold=True))
        self.more.setVisible(False)
        self.help = QLabel(HELP, self)
        self.help.setObjectName("help")
        # It takes the footer's room left over, its size fitted to that (see _fit_headings).
        self.help.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.help.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for label in (self.counter, self.help):
            label.setFont(footer_font)
        # Where it is and the keys go below the statements: beside the title they took the
        # title's width and pushed the columns off a 1024 px screen.
        footer = QHBoxLayout()
        footer.setSpacing(24)
        footer.addWidget(self.counter)
        footer.addWidget(self.more)
        footer.addWidget(self.help, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addWidget(self.sheet_scroll, 1)
        layout.addWidget(self.radar, 1)
        layout.addLayout(footer)
        self._fit_names_minimum()
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
        domain_changed = self.counter.text() != f"Domain {d.number} of {len(fw.domains)}"
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
        if domain_changed:
            self.sheet_scroll.verticalScrollBar().setValue(0)  # a new domain starts at its top

    # -- fitting the text to the screen ------------------------------------------------------
    def _fit_names_minimum(self) -> None:
        """A column is never narrower than its stage name at the smallest heading size."""
        small = _font(self.font(), STAGE_PX[1], bold=True)
        for column, stage in zip(self.columns, self.screen.state.framework.stages, strict=True):
            column.name.setFont(small)
            text = f"{stage.position}  {stage.name}"
            column.name.setMinimumWidth(column.name.fontMetrics().horizontalAdvance(text) + 2)

    def _fit_text(self) -> None:
        """Use the largest sizes at which the domain fits the screen; scroll below the smallest."""
        if not self.isVisible():
            return
        base = self.font()
        width = max(self.width() - 32, 1)
        for px in range(TITLE_PX[0], TITLE_PX[1] - 1, -2):
            self.title.setFont(_font(base, px, bold=True))
            if self.title.heightForWidth(width) <= 2 * self.title.fontMetrics().lineSpacing() + 4:
                break
        self.layout().activate()
        self.sheet.layout().activate()
        self._fit_headings(base)
        room = self.sheet_scroll.height()
        full_width = self.sheet_scroll.width()
        for px in range(BIGGEST_PX, SMALLEST_PX - 1, -1):
            font = _font(base, px)
            for c in self.columns:
                c.body.setFont(font)
                c.updateGeometry()  # else the row asks its columns' cached heights
            if self.sheet.heightForWidth(full_width) <= room:
                break
        self.font_px = px
        # the scroll area takes the sheet's new height now, not on its next layout pass
        QCoreApplication.sendEvent(self.sheet_scroll, QEvent(QEvent.Type.LayoutRequest))
        for c in self.columns:
            c.layout().activate()
        self._on_bar_changed()

    @staticmethod
    def _fit_line(labels: list[QLabel], sizes: tuple[int, int], base: QFont, bold: bool) -> None:
        """One size for all the labels: the largest at which each one's text fits its width."""
        big, small = sizes
        for px in range(big, small - 1, -1):
            font = _font(base, px, bold=bold)
            metrics = QFontMetrics(font)
            if all(metrics.horizontalAdvance(x.text()) <= x.contentsRect().width() for x in labels):
                break
        for label in labels:
            label.setFont(font)

    def _fit_headings(self, base: QFont) -> None:
        """Stage names and marks: the largest size at which every column's fits its width."""
        self._fit_line([c.name for c in self.columns], STAGE_PX, base, bold=True)
        self._fit_line([c.marks for c in self.columns], MARKS_PX, base, bold=True)
        # Marks that wrap in one column get the same height in all, so the statements of
        # every column still start level.
        for c in self.columns:
            c.marks.setMinimumHeight(0)
        level = max(c.marks.heightForWidth(c.marks.contentsRect().width()) for c in self.columns)
        for c in self.columns:
            c.marks.setMinimumHeight(level)
            c.updateGeometry()  # else the row asks its columns' cached heights

    def _on_bar_changed(self, *_args: int) -> None:
        bar = self.sheet_scroll.verticalScrollBar()
        scrolls = bar.maximum() > 0 and not self.sheet_scroll.isHidden()
        self.more.setVisible(scrolls)
        self.more.setText(MORE_BELOW if bar.value() < bar.maximum() else MORE_ABOVE)
        if self.isVisible():  # the key help takes the footer's room left beside it
            self.layout().activate()
            self._fit_line([self.help], HELP_PX, self.font(), bold=False)

    def page(self, step: int) -> bool:
        """Show the next (1) or previous (-1) page of this domain; False if there is none."""
        bar = self.sheet_scroll.verticalScrollBar()
        more = bar.value() > bar.minimum() if step < 0 else bar.value() < bar.maximum()
        if self.radar_shown or not more:
            return False
        # a page less two lines: the line cut at the foot of one page heads the next
        overlap = 2 * self.columns[0].body.fontMetrics().lineSpacing()
        bar.setValue(bar.value() + step * max(bar.pageStep() - overlap, 1))
        return True

    def toggle_radar(self) -> None:
        """Show the radar in place of the stages, or the stages again."""
        show = not self.radar_shown
        self.sheet_scroll.setVisible(not show)
        self.radar.setVisible(show)
        self.refresh()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, text = event.key(), event.text()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown, Qt.Key.Key_Space):
            if not self.page(1):
                self.screen.step_domain(1)
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_PageUp):
            if not self.page(-1):
                self.screen.step_domain(-1)
        elif key == Qt.Key.Key_Right:
            self.screen.step_domain(1)
        elif key == Qt.Key.Key_Left:
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

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_text()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.emit()
        super().closeEvent(event)
