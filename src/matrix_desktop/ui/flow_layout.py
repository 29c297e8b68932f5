"""A layout that lines its widgets up left to right and wraps them onto more rows when narrow."""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLayout, QLayoutItem, QVBoxLayout, QWidget


class FlowLayout(QLayout):
    """Rows of widgets at their preferred sizes, as many to a row as fit (Qt's flow example).

    A row of filters or choices thus needs only its widest item's width, not the sum of all,
    and still reads as one row on a wide screen. Items marked to expand horizontally share a
    row's spare width.
    """

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 (Qt API)
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt API)
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt API)
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 (Qt API)
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt API)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt API)
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 (Qt API)
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        width = sum(i.sizeHint().width() for i in self._items) + self._spacing * max(
            len(self._items) - 1, 0
        )
        height = max((i.sizeHint().height() for i in self._items), default=0)
        m = self.contentsMargins()
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:  # noqa: N802 (Qt API)
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _rows(self, width: int) -> list[list[QLayoutItem]]:
        rows: list[list[QLayoutItem]] = [[]]
        used = 0
        for item in self._items:
            if item.isEmpty():
                continue
            w = item.sizeHint().width()
            if rows[-1] and used + self._spacing + w > width:
                rows.append([])
                used = 0
            used += (self._spacing if rows[-1] else 0) + w
            rows[-1].append(item)
        return [r for r in rows if r]

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        y = area.y()
        for row in self._rows(area.width()):
            widths = [min(i.sizeHint().width(), area.width()) for i in row]
            spare = area.width() - sum(widths) - self._spacing * (len(row) - 1)
            growing = [
                n for n, i in enumerate(row) if i.expandingDirections() & Qt.Orientation.Horizontal
            ]
            for n in growing:
                widths[n] += spare // len(growing)
            height = max(i.sizeHint().height() for i in row)
            x = area.x()
            for item, w in zip(row, widths, strict=True):
                if move:
                    item.setGeometry(QRect(QPoint(x, y), QSize(w, height)))
                x += w + self._spacing
            y += height + self._spacing
        return y - self._spacing - area.y() + m.top() + m.bottom() if y > area.y() else 0


def captioned(caption: str, control: QWidget) -> QWidget:
    """A caption and its control (the caption's mnemonic moves focus there), kept together."""
    pair = QWidget()
    row = QHBoxLayout(pair)
    row.setContentsMargins(0, 0, 0, 0)
    label = QLabel(caption)
    label.setBuddy(control)
    row.addWidget(label)
    row.addWidget(control, 1)
    return pair


def lay_out_filtered_page(
    page: QWidget,
    heading: QWidget,
    summary: QWidget,
    filters: list[tuple[str, QWidget]],
    extras: list[QWidget],
    table: QWidget,
    message: QWidget,
) -> None:
    """Lay out a page that lists rows under filters (the action plan, the matrix feedback).

    The heading with a summary beside it; the captioned filters and any extra controls,
    wrapping on a narrow window; the table taking the room left; a message under it.
    """
    bar = FlowLayout()
    for caption, control in filters:
        bar.addWidget(captioned(caption, control))
    for control in extras:
        bar.addWidget(control)
    top = QHBoxLayout()
    top.addWidget(heading, 1)
    top.addWidget(summary)
    layout = QVBoxLayout(page)
    layout.addLayout(top)
    layout.addLayout(bar)
    layout.addWidget(table, 1)
    layout.addWidget(message)
