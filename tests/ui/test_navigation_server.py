"""Going from page to page on a server: reads off the GUI thread, the newest wins, and a link
that is down is said on the page with Retry, then loaded when it returns.

A real throwaway PostgreSQL behind the TCP proxy of benchmarks/_tcpproxy.py (10 ms each way,
a 20 ms round trip), which the tests cut and restore as a dropped network would.
"""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from bench_modules import load_benchmark
from matrix_desktop.core.framework import EntityKind
from matrix_desktop.services import server_admin
from matrix_desktop.services.context import open_services
from matrix_desktop.ui.context import AppContext
from matrix_desktop.ui.main_window import MainWindow
from matrix_desktop.ui.navigation import PageNavigation

pytestmark = pytest.mark.gui

PLACES = ["Alder Place", "Beech Place", "Cedar Place", "Damson Place", "Elm Place"]


@pytest.fixture
def region(pg_server, request):  # type: ignore[no-untyped-def]
    """A server database with five places, one draft each, behind a proxy 20 ms away.

    Yields (url via the proxy, the proxy, direct services, {place name: assessment id}).
    """
    url = pg_server.create_database("nav_" + request.node.name.lower()[-40:])
    server_admin.init(url)
    direct = open_services(url, user="it-admin")
    fw = direct.catalog.framework("syb-place-development-matrix")
    system = direct.catalog.create_system("Navigation ICS")
    ids = {}
    for name in PLACES:
        entity = direct.catalog.create_entity(system.id, name, EntityKind.PLACE_PARTNERSHIP)
        ids[name] = direct.assessments.create(entity.id, fw, "2030 Q1").id
    proxy = load_benchmark("_tcpproxy").TcpProxy("127.0.0.1", pg_server.port, delay_ms=10).start()
    yield url.replace(f":{pg_server.port}/", f":{proxy.port}/"), proxy, direct, ids
    proxy.restore()
    direct.close()
    proxy.stop()


@pytest.fixture
def window(qtbot, tmp_path, region, answers):  # type: ignore[no-untyped-def]
    url = region[0]
    ctx = AppContext(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    ctx.RETRY_MS = 150  # the test waits for the first retries, not for seconds
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.resize(1024, 768)
    w.show()
    qtbot.waitExposed(w)
    assert w.open_database(url)
    qtbot.waitUntil(lambda: w.nav_model.index_of_entity(_entity_id(region, PLACES[0])).isValid())
    yield w
    w.shutdown()


def _entity_id(region, name: str) -> str:  # type: ignore[no-untyped-def]
    direct, ids = region[2], region[3]
    return direct.assessments.get(ids[name]).entity_id


def _choose_first_place(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()  # key presses go to the window the user is in
    qtbot.waitUntil(window.isActiveWindow)
    window.nav.setFocus()
    qtbot.waitUntil(window.nav.hasFocus)
    qtbot.keyClick(window.nav, Qt.Key.Key_Home)  # the system
    qtbot.keyClick(window.nav, Qt.Key.Key_Down)  # its first place
    qtbot.waitUntil(lambda: window.entity_page.title.text() == f"<h2>{PLACES[0]}</h2>")
    qtbot.waitUntil(lambda: not window.navigation.reads.busy())


def test_down_three_times_reads_off_the_gui_thread_and_shows_only_the_last(
    qtbot, window, region, monkeypatch
):
    shown: list[str] = []
    threads: list[threading.Thread] = []
    show = PageNavigation._show_entity_page
    monkeypatch.setattr(
        PageNavigation,
        "_show_entity_page",
        lambda self, data: (shown.append(data.entity.name), show(self, data)),
    )
    services = window.ctx.services
    entity = services.catalog.entity
    monkeypatch.setattr(
        services.catalog,
        "entity",
        lambda eid: (threads.append(threading.current_thread()), entity(eid))[1],
    )
    _choose_first_place(qtbot, window)
    shown.clear()
    for _ in range(3):
        qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    # The page asked for is being read: the window says so, and still shows the first place.
    opening = window.navigation.notice.opening  # on the status bar: the page does not move
    assert opening.isVisible() and opening.text().startswith("Opening ")
    assert window.entity_page.title.text() == f"<h2>{PLACES[0]}</h2>"
    qtbot.waitUntil(lambda: window.entity_page.title.text() == f"<h2>{PLACES[3]}</h2>")
    qtbot.waitUntil(lambda: opening.text() == "")
    assert shown == [PLACES[3]]  # no flicker of the places passed on the way
    assert threads and all(t is not threading.main_thread() for t in threads)
    assert window.current_entity_id == _entity_id(region, PLACES[3])


def test_opening_an_assessment_is_read_off_the_gui_thread_and_typed_text_is_kept(
    qtbot, window, region
):
    _url, _proxy, direct, ids = region
    _choose_first_place(qtbot, window)
    table = window.entity_page.table
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Return)  # open the place's assessment
    assert window.assessment_screen is None  # being read; the entity page stays meanwhile
    assert window.navigation.notice.opening.text() == "Opening the assessment…"
    qtbot.waitUntil(lambda: window.assessment_screen is not None)
    screen = window.assessment_screen
    assert screen.state.assessment_id == ids[PLACES[0]]
    domain = screen.current_domain.key
    box = screen.details.evidence
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    qtbot.keyClicks(box, "Typed, then straight on to the next place.")
    # Straight to another place (Ctrl+L, Down) before the text was committed.
    qtbot.keyClick(box, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.nav.hasFocus)
    qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: window.entity_page.title.text() == f"<h2>{PLACES[1]}</h2>")
    qtbot.waitUntil(lambda: not window.ctx.pending, timeout=10000)
    stored = direct.assessments.record(ids[PLACES[0]]).rating(domain)
    assert stored.evidence == "Typed, then straight on to the next place."


def test_a_read_while_the_link_is_down_says_so_offers_retry_and_loads_when_it_returns(
    qtbot, window, region, answers
):
    _url, proxy, _direct, _ids = region
    _choose_first_place(qtbot, window)
    proxy.cut()
    qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    notice = window.navigation.notice
    qtbot.waitUntil(lambda: "cannot be reached" in notice.text.text(), timeout=10000)
    assert notice.text.text().startswith(
        f"The database server cannot be reached, so {PLACES[1]} could not be read; trying again in"
    )
    assert notice.retry_button.isVisible() and notice.retry_button.isEnabled()
    assert not answers  # said on the page, no dialog
    # The window stays usable: the first place's page is still there, the menus open.
    assert window.entity_page.title.text() == f"<h2>{PLACES[0]}</h2>"
    assert window.stack.currentWidget() is window.entity_page
    qtbot.wait(400)  # automatic retries fail while the link is down: still said
    assert "cannot be reached" in notice.text.text()
    proxy.restore()
    # Retry from the keyboard (Alt+T), as a user who does not wait for the next try.
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(
        lambda: window.entity_page.title.text() == f"<h2>{PLACES[1]}</h2>", timeout=10000
    )
    qtbot.waitUntil(lambda: not notice.isVisible())
    assert window.current_entity_id == _entity_id(region, PLACES[1])
    assert QApplication.activeModalWidget() is None


def test_retry_comes_by_itself_when_the_link_returns(qtbot, window, region):
    _url, proxy, _direct, _ids = region
    _choose_first_place(qtbot, window)
    proxy.cut()
    qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    notice = window.navigation.notice
    qtbot.waitUntil(lambda: "cannot be reached" in notice.text.text(), timeout=10000)
    proxy.restore()
    qtbot.waitUntil(
        lambda: window.entity_page.title.text() == f"<h2>{PLACES[1]}</h2>", timeout=15000
    )
    qtbot.waitUntil(lambda: not notice.isVisible())


def test_a_peer_review_is_read_off_the_gui_thread_and_opened_from_the_entity_page(
    qtbot, window, region, monkeypatch
):
    from matrix_desktop.ui.peer_review import PeerReviewWidget

    _url, _proxy, direct, ids = region
    aid = ids[PLACES[0]]
    fw = direct.catalog.framework("syb-place-development-matrix")
    kind = direct.catalog.entity(_entity_id(region, PLACES[0])).kind
    for d in fw.domains_for(kind):
        direct.assessments.execute(
            direct.assessments.edit_rating(aid, d.key, stage=fw.stages[0].key)
        )
    direct.assessments.execute(
        direct.assessments.finalise(aid, direct.assessments.get(aid).revision)
    )
    review = direct.peer_review.start_review(aid, "Rita Reviewer").review
    threads: list[threading.Thread] = []
    services = window.ctx.services
    self_vs_peer = services.peer_review.self_vs_peer
    monkeypatch.setattr(
        services.peer_review,
        "self_vs_peer",
        lambda rid: (threads.append(threading.current_thread()), self_vs_peer(rid))[1],
    )
    _choose_first_place(qtbot, window)
    qtbot.waitUntil(lambda: window.entity_page.model.rowCount() == 2)
    table = window.entity_page.table
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    row = next(
        r
        for r in range(window.entity_page.model.rowCount())
        if window.entity_page.model.row_at(r).assessment_id == review.id
    )
    qtbot.keyClick(table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    for _ in range(row):
        qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(window.stack.currentWidget(), PeerReviewWidget))
    page = window.stack.currentWidget()
    assert page.review_id == review.id
    assert threads and all(t is not threading.main_thread() for t in threads)


def test_an_assessment_opened_just_after_a_refresh_is_not_replaced_by_the_entity_page(
    qtbot, window, region
):
    # As after starting a peer review: the lists are reloaded and the new one opened at once.
    _url, _proxy, _direct, ids = region
    _choose_first_place(qtbot, window)
    window.refresh()
    window.open_assessment(ids[PLACES[2]])
    qtbot.waitUntil(lambda: not window.navigation.reads.busy(), timeout=10000)
    qtbot.wait(100)
    screen = window.assessment_screen
    assert screen is not None and window.stack.currentWidget() is screen
    assert screen.state.assessment_id == ids[PLACES[2]]


def test_the_first_place_is_chosen_once_the_refreshed_navigator_is_shown(qtbot, window, region):
    # As after an import into an empty window: reload the lists, then choose the first place.
    window.current_entity_id = None
    window.refresh()
    window._show_first_entity()
    qtbot.waitUntil(
        lambda: window.entity_page.title.text() == f"<h2>{PLACES[0]}</h2>", timeout=10000
    )
