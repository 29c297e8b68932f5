"""The main window's room: it fits its screen; the navigator makes way for the stage cards."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMargins, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QStackedWidget, QWidget

# Room for the navigator beside the scoring screen's four stage cards (see NARROW_PX); a
# smaller screen gets all of its room.
PREFERRED_SIZE = QSize(1440, 900)
# Until the window manager has framed the window its frame is unknown: allow for a title bar.
ASSUMED_FRAME = QMargins(4, 32, 4, 4)
NARROW_PX = 1400  # below this the scoring screen's four stage cards need the navigator's room
NAVIGATOR_KEYS = "Ctrl+B"


def available_geometry(widget: QWidget) -> QRect:
    """Return the part of the widget's screen that windows may use (panels and docks left out)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def frame_margins(window: QWidget, assumed: QMargins = ASSUMED_FRAME) -> QMargins:
    """The window manager's frame round the window, or `assumed` until it is known."""
    frame, inner = window.frameGeometry(), window.geometry()
    if frame == inner:
        return QMargins(assumed)
    return QMargins(
        inner.left() - frame.left(),
        inner.top() - frame.top(),
        frame.right() - inner.right(),
        frame.bottom() - inner.bottom(),
    )


def fit_window(
    window: QWidget,
    preferred: QSize | None = None,
    *,
    centre: bool = False,
    assumed: QMargins = ASSUMED_FRAME,
) -> None:
    """Size and move a top-level window so that it and its frame lie on its screen.

    preferred: the size to take as far as the screen allows (a new window); without it the
    window keeps its size where that fits. assumed: the frame to allow for until the window
    manager has framed the window. A maximised or full-screen window is left alone: the
    window manager fits those.
    """
    if window.windowState() & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
        return
    screen = available_geometry(window)
    m = frame_margins(window, assumed)
    room = QSize(
        screen.width() - m.left() - m.right(), screen.height() - m.top() - m.bottom()
    ).expandedTo(QSize(1, 1))
    size = (preferred or window.size()).boundedTo(room)
    if size != window.size():
        window.resize(size)
    outer = QSize(window.width() + m.left() + m.right(), window.height() + m.top() + m.bottom())
    if centre:
        x = screen.left() + (screen.width() - outer.width()) // 2
        y = screen.top() + (screen.height() - outer.height()) // 2
    else:
        x, y = window.x(), window.y()  # a top-level window's position is its frame's
    x = max(screen.left(), min(x, screen.right() + 1 - outer.width()))
    y = max(screen.top(), min(y, screen.bottom() + 1 - outer.height()))
    if (x, y) != (window.x(), window.y()):
        window.move(x, y)


class WindowLayout:
    """The main window's room: it fits the screen; the navigator makes way for the stage cards.

    The window owns one, gives it itself (to size and move), its navigator dock and its page
    stack (pages that say `needs_room` get it); the window's show and move events call
    refit_once_framed, its resizes make_room_for_stages, and every event before_event.
    """

    def __init__(self, window: QMainWindow, nav_dock: QDockWidget, stack: QStackedWidget):
        self.window = window
        self.nav_dock = nav_dock
        self.stack = stack
        self._sized_for_screen = False  # the window took the screen's size, not a saved one
        self._framed = False  # the window manager's frame is known and allowed for
        self._nav_auto_hidden = False
        self._nav_chosen = False  # the user showed or hid it while the scoring screen showed
        nav_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        action = nav_dock.toggleViewAction()
        action.setText("Partnerships pa&nel")  # P is taken by Go to partnerships
        action.setObjectName("show_partnerships")
        action.setShortcut(QKeySequence(NAVIGATOR_KEYS))
        action.setToolTip("Show or hide the partnerships list")
        action.triggered.connect(self._on_navigator_action_triggered)
        self.navigator_action = action
        stack.currentChanged.connect(self._on_stack_current_changed)

    def fit_to_screen(self, restored: bool) -> None:
        """Take the preferred size where the screen allows; a restored size where it still fits."""
        self._sized_for_screen = not restored
        if restored:  # Qt has already fitted the saved frame; the real frame is checked on show
            fit_window(self.window, assumed=QMargins())
        else:
            fit_window(self.window, PREFERRED_SIZE, centre=True)

    # -- the frame, once the window manager has put it round the window ---------------------
    def before_event(self, event: QEvent) -> None:
        """Called with each of the window's events before it handles them.

        No event says "framed"; the first paint or activation after it is the next best.
        (The window calls refit_once_framed itself after its show and move events.)
        """
        if not self._framed and event.type() in (
            QEvent.Type.Paint,
            QEvent.Type.WindowActivate,
        ):
            self.refit_once_framed()

    def refit_once_framed(self) -> None:
        window = self.window
        if self._framed or window.frameGeometry() == window.geometry():
            return
        self._framed = True
        fit_window(window, PREFERRED_SIZE if self._sized_for_screen else None)

    # -- the navigator ----------------------------------------------------------------------
    def make_room_for_stages(self) -> None:
        """Hide the navigator while a narrow window shows the scoring screen; back after."""
        scoring = self._page_needs_room()
        if not scoring:
            self._nav_chosen = False
        if self._nav_chosen:
            return
        narrow = scoring and self.window.width() < NARROW_PX
        if narrow and self.nav_dock.isVisibleTo(self.window):
            self.nav_dock.hide()
            self._nav_auto_hidden = True
        elif not narrow and self._nav_auto_hidden:
            self.restore_navigator()

    def restore_navigator(self) -> None:
        """Show the navigator again if it was hidden only to make room (before saving state)."""
        if self._nav_auto_hidden:
            self._nav_auto_hidden = False
            self.nav_dock.show()

    def _on_navigator_action_triggered(self, _checked: bool) -> None:
        self._nav_auto_hidden = False
        self._nav_chosen = self._page_needs_room()

    def _page_needs_room(self) -> bool:
        return bool(getattr(self.stack.currentWidget(), "needs_room", False))

    def _on_stack_current_changed(self, _index: int) -> None:
        self.make_room_for_stages()
