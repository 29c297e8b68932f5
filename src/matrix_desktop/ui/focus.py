"""Keyboard focus the room can see: a thick frame round the focused control, scrolled into view.

Installed once on the application (app.py). A frame drawn over the window works the same
in every Qt style: a style sheet :focus border replaces the native drawing of every control
it touches, and a proxy style reaches only what the base style draws as a focus rectangle
(Fusion draws none for text boxes, combo boxes or lists).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, QTimer
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent, QPen, QRegion
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QScrollArea,
    QScrollBar,
    QWidget,
)
from shiboken6 import isValid

RING_WIDTH = 3  # px: a 1 px focus rectangle disappears on a projector
# Okabe-Ito vermillion: unlike the agreed stage's blue, and 3.9:1 against white
RING_COLOUR = QColor("#D55E00")
SCROLL_MARGIN = RING_WIDTH + 6  # room round a control scrolled into view, for its frame
ACTIVATE_KEYS = (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Select)
WATCHED = (QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide)


def visible_rect(widget: QWidget) -> QRect:
    """Return the part of widget its ancestors leave on screen, in its window's coordinates."""
    if not widget.isVisible():
        return QRect()
    window = widget.window()
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        rect = rect.intersected(QRect(parent.mapTo(window, QPoint(0, 0)), parent.size()))
        parent = parent.parentWidget()
    return rect.intersected(window.rect())


def scroll_into_view(widget: QWidget) -> None:
    """Scroll every scroll area holding widget so that all of it shows (innermost first).

    Not QScrollArea.ensureWidgetVisible: for a text box or a table that shows only the
    text cursor, which leaves most of the control out of sight.
    """
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            inner = parent.widget()
            if inner is not None and inner.isAncestorOf(widget):
                at = widget.mapTo(inner, QPoint(0, 0))
                port = parent.viewport().size()
                _scroll(parent.horizontalScrollBar(), at.x(), widget.width(), port.width())
                _scroll(parent.verticalScrollBar(), at.y(), widget.height(), port.height())
        parent = parent.parentWidget()


def _scroll(bar: QScrollBar, start: int, length: int, view: int) -> None:
    """Move bar so [start, start + length) shows in a view of that size, with a margin if room."""
    if length + 2 * SCROLL_MARGIN <= view:
        start, length = start - SCROLL_MARGIN, length + 2 * SCROLL_MARGIN
    value = bar.value()
    if length > view or start < value:
        bar.setValue(start)  # too big to show whole: its beginning
    elif start + length > value + view:
        bar.setValue(start + length - view)


def _framed(widget: QWidget) -> QWidget:
    """The control the frame goes round: a combo or spin box, not its inner line edit."""
    parent = widget.parentWidget()
    while parent is not None and not parent.isWindow():
        if isinstance(parent, QComboBox | QAbstractSpinBox):
            return parent
        parent = parent.parentWidget()
    return widget


class FocusRing(QWidget):
    """The frame round the focused control: a child of its window, drawn over everything."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setObjectName("focus_ring")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hide()

    def place(self, target: QRect) -> None:
        """Frame target (window coordinates), outside it where the window leaves room."""
        w = RING_WIDTH
        outer = target.adjusted(-w, -w, w, w).intersected(self.parentWidget().rect())
        if outer.width() <= 2 * w or outer.height() <= 2 * w:
            self.hide()
            return
        self.setGeometry(outer)
        local = QRect(QPoint(0, 0), outer.size())
        self.setMask(QRegion(local).subtracted(QRegion(local.adjusted(w, w, -w, -w))))
        self.show()
        self.raise_()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        pen = QPen(RING_COLOUR, RING_WIDTH)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        half = RING_WIDTH / 2
        painter.drawRect(self.rect().toRectF().adjusted(half, half, -half, -half))


class FocusKeeper(QObject):
    """Follows QApplication's focus: scrolls it into view, frames it, guards unseen controls.

    A key that acts (Space, Return) on a control scrolled out of sight only brings it into
    view: the user sees what the next press will change before it changes.
    """

    def __init__(self, app: QApplication):
        super().__init__(app)
        self.setObjectName("focus_keeper")
        self._target: QWidget | None = None
        self._watched: list[QWidget] = []
        self._ring: FocusRing | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.place_ring)
        app.focusChanged.connect(self._on_app_focusChanged)

    @property
    def ring(self) -> FocusRing | None:
        """The frame now shown (None when nothing has focus)."""
        return self._ring if self._ring is not None and isValid(self._ring) else None

    def _on_app_focusChanged(self, _old: QWidget | None, new: QWidget | None) -> None:
        self._follow(new)
        if new is not None:
            scroll_into_view(new)
        self.place_ring()

    def _follow(self, widget: QWidget | None) -> None:
        for w in self._watched:
            if isValid(w):
                w.removeEventFilter(self)
        self._watched = []
        self._target = widget
        if widget is None:
            return
        w: QWidget | None = widget
        while w is not None:
            w.installEventFilter(self)
            self._watched.append(w)
            if w.isWindow():
                break
            w = w.parentWidget()

    def _ring_for(self, window: QWidget) -> FocusRing:
        ring = window.findChild(FocusRing, "focus_ring", Qt.FindChildOption.FindDirectChildrenOnly)
        return ring if ring is not None else FocusRing(window)

    def place_ring(self) -> None:
        """Put the frame round the focused control, or hide it when that is not on screen."""
        target = self._target if self._target is not None and isValid(self._target) else None
        window = target.window() if target is not None else None
        if window is not None and window.windowType() == Qt.WindowType.Popup:
            window = None  # a combo box's list or a menu: its own highlight shows the choice
        ring = self.ring
        if ring is not None and (window is None or ring.parentWidget() is not window):
            ring.hide()
        if target is None or window is None:
            return
        self._ring = self._ring_for(window)
        self._ring.place(visible_rect(_framed(target)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in WATCHED:
            self._timer.start()
        elif event.type() == QEvent.Type.KeyPress and watched is self._target:
            assert isinstance(event, QKeyEvent)
            if event.key() in ACTIVATE_KEYS and self._out_of_sight():
                scroll_into_view(self._target)
                self.place_ring()
                return True  # shown now; the next press acts on what the user can see
        return False

    def _out_of_sight(self) -> bool:
        target = self._target
        return target is not None and isValid(target) and visible_rect(target).isEmpty()


def install(app: QApplication) -> FocusKeeper:
    """Start the focus frame and scroll-into-view for the application; returns the keeper."""
    keeper = app.findChild(FocusKeeper, "focus_keeper")
    return keeper if keeper is not None else FocusKeeper(app)


def uninstall(app: QApplication) -> None:
    """Stop them again (tests that install it leave the shared application as they found it)."""
    keeper = app.findChild(FocusKeeper, "focus_keeper")
    if keeper is None:
        return
    app.focusChanged.disconnect(keeper._on_app_focusChanged)
    keeper._follow(None)
    keeper.place_ring()
    keeper.setParent(None)
    keeper.deleteLater()
