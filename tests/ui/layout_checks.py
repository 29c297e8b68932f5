"""Layout checks for GUI tests: a pretend screen size, and what a user at that size cannot see."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QTextEdit,
    QWidget,
)

SIZES = [(1024, 768), (1366, 768), (1920, 1080)]
READABLE_TEXT_BOX_PX = 200  # narrower, a paragraph of evidence reads a word or two per line


def pretend_screen(monkeypatch, width: int, height: int) -> QRect:
    """Make every screen report this size (the offscreen platform's own is 800x800)."""
    rect = QRect(0, 0, width, height)
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: QRect(rect))
    monkeypatch.setattr(QScreen, "geometry", lambda _screen: QRect(rect))
    return rect


def settle(qtbot, window: QWidget) -> None:
    """Let layouts and deferred resizes finish."""
    for _ in range(3):
        QApplication.processEvents()
        window.layout().activate() if window.layout() else None
    qtbot.wait(10)
    QApplication.processEvents()


def _label_text_overflows(label: QLabel) -> bool:
    if not label.text().strip() or label.width() <= 0:
        return False
    if label.wordWrap():
        return label.heightForWidth(label.width()) > label.height()
    return label.sizeHint().width() > label.width() + 1


def _button_text_overflows(button: QAbstractButton) -> bool:
    return bool(button.text()) and button.sizeHint().width() > button.width() + 1


def _is_viewport(widget: QWidget) -> bool:
    area = widget.parentWidget()
    return isinstance(area, QAbstractScrollArea) and widget is area.viewport()


def _inside_scrolled_content(widget: QWidget, top: QWidget) -> bool:
    """True for a widget in a scroll area's content: it may lie beyond the window (scrolled)."""
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        grand = parent.parentWidget()
        if isinstance(grand, QAbstractScrollArea) and parent is grand.viewport():
            return True
        parent = grand
    return False


def clipped(top: QWidget) -> list[str]:
    """Say what a user of `top` cannot see or read whole: one line per problem."""
    problems: list[str] = []
    window = top.rect()
    for w in [top, *top.findChildren(QWidget)]:
        if w is not top and (w.isWindow() or not w.isVisibleTo(top)):
            continue
        name = (
            f"{type(w).__name__} {w.accessibleName() or w.objectName()!r}"
            f"{' ' + repr(w.text()[:40]) if hasattr(w, 'text') and callable(w.text) else ''}"
        )
        area = QRect(w.mapTo(top, w.rect().topLeft()), w.size())
        if w is not top and not _inside_scrolled_content(w, top) and not window.contains(area):
            problems.append(f"{name} at {area.getRect()} is outside the window {window.getRect()}")
        parent = w.parentWidget()
        if (
            w is not top
            and parent is not None
            and not _is_viewport(parent)
            and not parent.rect().contains(w.geometry())
        ):
            problems.append(f"{name} at {w.geometry().getRect()} is outside its parent")
        if isinstance(w, QLabel) and _label_text_overflows(w):
            problems.append(f"{name}: text does not fit {w.width()}x{w.height()}")
        if isinstance(w, QAbstractButton) and _button_text_overflows(w):
            problems.append(f"{name}: text does not fit {w.width()} px")
        if (
            isinstance(w, QPlainTextEdit | QTextEdit)
            and w.toPlainText()
            and w.viewport().width() < READABLE_TEXT_BOX_PX
        ):
            problems.append(f"{name}: {w.viewport().width()} px wide, too narrow to read")
        if isinstance(w, QSplitter):
            for i, size in enumerate(w.sizes()):
                if size == 0 and w.widget(i).isVisibleTo(top):
                    problems.append(f"{name}: pane {i} is collapsed")
        if isinstance(w, QScrollArea) and w.widget() is not None:
            content, view = w.widget(), w.viewport()
            wide = content.width() > view.width() + 1
            tall = content.height() > view.height() + 1
            if (wide and not w.horizontalScrollBar().isVisibleTo(top)) or (
                tall and not w.verticalScrollBar().isVisibleTo(top)
            ):
                problems.append(f"{name}: content larger than the view and no scroll bar")
    return problems


def fits_screen(window: QWidget, screen: QRect) -> list[str]:
    """The window with its frame lies on the screen (nothing of it beyond an edge)."""
    frame = window.frameGeometry()
    if screen.contains(frame):
        return []
    return [f"window frame {frame.getRect()} is not within the screen {screen.getRect()}"]
