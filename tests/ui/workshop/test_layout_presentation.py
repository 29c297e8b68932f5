"""Presentation mode at 1024x768, 1366x768 and 1920x1080: every statement of every SYB domain
can be read (on screen, or a page further down), and no column, counter or key help is pushed
off the screen."""

from __future__ import annotations

import pytest
from layout_checks import SIZES, clipped
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QLabel

from matrix_desktop.ui.workshop.screen import AssessmentScreen

pytestmark = pytest.mark.gui

MAX_PAGES = 12  # a domain needing more pages than this is not readable in a workshop


@pytest.fixture
def screen(qtbot, ctx, services):
    ctx.set_services(services)
    entity = services.catalog.find_entity("Barnsley")
    rnd = services.catalog.find_round("2021/22 Q2")
    aid = services.assessments.assessments(entity.id, rnd.id)[0].id
    s = AssessmentScreen(ctx, aid, undo_keys=True)
    qtbot.addWidget(s)
    s.resize(1366, 768)
    s.show()
    qtbot.waitExposed(s)
    assert s.state.framework.key == "syb-place-development-matrix"
    assert s.message.text()  # final: the message line takes its room on the projector too
    return s


def _present(qtbot, screen: AssessmentScreen, size: tuple[int, int]):
    screen.domains.setCurrentRow(0)
    screen.toggle_presentation()
    p = screen.presentation
    qtbot.addWidget(p)
    qtbot.waitExposed(p)
    # The offscreen platform's screen is 800x800: a projector's size is set here instead.
    p.showNormal()
    QApplication.processEvents()
    p.resize(*size)
    QApplication.processEvents()
    hint = p.minimumSizeHint()
    assert hint.width() <= size[0] and hint.height() <= size[1], f"needs {hint.toTuple()}"
    assert p.size().toTuple() == size, "the window cannot be as small as the screen"
    return p


def _statement_bodies(p) -> list[QLabel]:
    return [c.body for c in p.columns if c.isVisible()]


def _seen_rows(p, body: QLabel) -> tuple[int, int]:
    """The part of a column's statements inside the window: (top, bottom) in the body's rows."""
    window = p.rect()
    clip = window
    parent = body.parentWidget()
    while parent is not None and parent is not p:  # clipped by every ancestor on the way up
        clip = clip.intersected(QRect(parent.mapTo(p, QPoint(0, 0)), parent.size()))
        parent = parent.parentWidget()
    shown = QRect(body.mapTo(p, QPoint(0, 0)), body.size()).intersected(clip)
    if shown.isEmpty():
        return (1, 0)
    top = shown.top() - body.mapTo(p, QPoint(0, 0)).y()
    return (top, top + shown.height())


def _walk_domain(qtbot, p, number: int) -> list[str]:
    """Page through one domain with Page Down; say what could not be read."""
    problems = []
    bodies = _statement_bodies(p)
    needed = [b.heightForWidth(b.width()) for b in bodies]
    seen: list[list[tuple[int, int]]] = [[] for _ in bodies]
    for _page in range(MAX_PAGES):
        problems += [f"domain {number}: {c}" for c in clipped(p)]
        for spans, body in zip(seen, bodies, strict=True):
            spans.append(_seen_rows(p, body))
        where = [b.mapTo(p, QPoint(0, 0)) for b in bodies]
        qtbot.keyClick(p, Qt.Key.Key_PageDown)
        QApplication.processEvents()
        if not p.title.text().startswith(f"{number}. "):
            break  # on to the next domain
        if [b.mapTo(p, QPoint(0, 0)) for b in bodies] == where:
            break  # the last domain's last page: nothing moved
    else:
        problems.append(f"domain {number}: more than {MAX_PAGES} pages")
    for body, spans, height in zip(bodies, seen, needed, strict=True):
        reach = 0
        for top, bottom in sorted(spans):
            if top <= reach:
                reach = max(reach, bottom)
        if reach < height:
            stage = body.parentWidget().accessibleName()
            problems.append(f"domain {number}, {stage}: {height - reach} px of statements unseen")
    return problems


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_statement_of_every_domain_can_be_read(qtbot, screen, size):
    p = _present(qtbot, screen, size)
    fw = screen.state.framework
    problems: list[str] = []
    for domain in fw.domains:
        assert p.title.text().startswith(f"{domain.number}. ")
        assert p.counter.text() == f"Domain {domain.number} of {len(fw.domains)}"
        problems += _walk_domain(qtbot, p, domain.number)
    assert screen.current_domain.key == fw.domains[-1].key
    assert problems == []


def test_statements_that_do_not_fit_say_there_is_more_and_page_back(qtbot, screen):
    p = _present(qtbot, screen, (1024, 768))
    bar = p.sheet_scroll.verticalScrollBar()
    assert bar.maximum() > 0, "the first SYB domain is expected to need a second page at 1024"
    assert p.more.isVisible() and "more" in p.more.text().lower()
    qtbot.keyClick(p, Qt.Key.Key_PageDown)
    assert p.title.text().startswith("1. ") and bar.value() > 0
    qtbot.keyClick(p, Qt.Key.Key_PageUp)
    assert p.title.text().startswith("1. ") and bar.value() == 0
    qtbot.keyClick(p, Qt.Key.Key_Right)  # the arrows always move by domain
    assert p.title.text().startswith("2. ") and bar.value() == 0
    qtbot.keyClick(p, Qt.Key.Key_Left)
    assert p.title.text().startswith("1. ")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_radar_fits_the_projector(qtbot, screen, size):
    p = _present(qtbot, screen, size)
    qtbot.keyClick(p, Qt.Key.Key_R)
    assert p.radar_shown
    assert clipped(p) == []
    qtbot.keyClick(p, Qt.Key.Key_R)
    assert not p.radar_shown and clipped(p) == []
