"""The focus frame: at least 2 px, drawn round the focused control on any style, moved as focus
moves, scrolled into view inside scroll areas; the application installs it at start-up."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from matrix_desktop.ui import focus


@pytest.fixture
def keeper(qapp):
    yield focus.install(qapp)
    focus.uninstall(qapp)


def _show(qtbot, root: QWidget) -> None:
    qtbot.addWidget(root)
    root.resize(400, 300)
    root.show()
    qtbot.waitExposed(root)
    root.activateWindow()
    qtbot.waitUntil(root.isActiveWindow)


def frame_width(root: QWidget, widget: QWidget) -> int:
    """Count the frame-coloured pixels running left from widget's left edge, at mid height."""
    image = root.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    at = widget.mapTo(root, QPoint(0, widget.height() // 2))
    scale = image.width() / root.width()
    x, y = int(at.x() * scale) - 1, int(at.y() * scale)
    width = 0
    while x >= 0 and _near(QColor(image.pixel(x, y)), focus.RING_COLOUR):
        width += 1
        x -= 1
    return round(width / scale)


def _near(a: QColor, b: QColor) -> bool:
    return max(abs(a.red() - b.red()), abs(a.green() - b.green()), abs(a.blue() - b.blue())) < 40


def test_the_focused_control_has_a_frame_at_least_two_pixels_wide(qtbot, keeper):
    root = QWidget()
    layout = QVBoxLayout(root)
    layout.setContentsMargins(20, 20, 20, 20)
    first, second, button = QLineEdit(), QLineEdit(), QPushButton("OK")
    for w in (first, second, button):
        layout.addWidget(w)
    _show(qtbot, root)
    first.setFocus()
    assert frame_width(root, first) >= 2
    assert frame_width(root, second) == 0
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is second
    assert frame_width(root, second) >= 2
    assert frame_width(root, first) == 0
    qtbot.keyClick(second, Qt.Key.Key_Tab)
    assert frame_width(root, button) >= 2
    assert focus.RING_WIDTH >= 2


def test_tab_into_a_scroll_area_scrolls_the_control_into_view(qtbot, keeper):
    root = QWidget()
    outer = QVBoxLayout(root)
    before = QLineEdit()
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a container, as the app's scroll areas are
    inner = QWidget()
    column = QVBoxLayout(inner)
    boxes = [QLineEdit(f"box {n}") for n in range(30)]
    for box in boxes:
        column.addWidget(box)
    area.setWidget(inner)
    outer.addWidget(before)
    outer.addWidget(area)
    _show(qtbot, root)
    boxes[-1].setFocus()  # scrolled to the bottom
    assert area.verticalScrollBar().value() == area.verticalScrollBar().maximum()
    before.setFocus()
    qtbot.keyClick(before, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is boxes[0]
    shown = boxes[0].geometry().translated(inner.pos())
    assert area.viewport().rect().contains(shown)
    assert frame_width(root, boxes[0]) >= 2


def test_the_application_installs_it_at_start(qapp):
    from matrix_desktop import app

    names = (qapp.organizationName(), qapp.applicationName(), qapp.applicationVersion())
    try:
        app._configure_application(qapp)
        assert qapp.findChild(focus.FocusKeeper, "focus_keeper") is not None
        assert focus.install(qapp) is qapp.findChild(focus.FocusKeeper, "focus_keeper")
    finally:
        focus.uninstall(qapp)
        qapp.setOrganizationName(names[0])
        qapp.setApplicationName(names[1])
        qapp.setApplicationVersion(names[2])
    assert qapp.findChild(focus.FocusKeeper, "focus_keeper") is None
