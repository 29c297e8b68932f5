"""The main window: empty state, one-click example data, navigator, entity page, geometry."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt

from matrix_desktop.ui.main_window import MainWindow


def _window(qtbot, ctx, db_path):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.open_database(str(db_path))
    return window


def test_empty_database_shows_the_welcome_and_loads_examples_in_one_click(qtbot, ctx, db_path):
    window = _window(qtbot, ctx, db_path)
    assert window.stack.currentWidget() is window.welcome
    assert window.welcome.examples_button.isVisible()
    qtbot.mouseClick(window.welcome.examples_button, Qt.MouseButton.LeftButton)
    systems = window.nav_model.rowCount()
    entities = window.nav_model.rowCount(window.nav_model.index(0, 0))
    assert (systems, entities) == (1, 10)  # 5 places, 4 collaboratives, the ICS itself
    assert window.stack.currentWidget() is window.entity_page
    assert window.entity_page.model.rowCount() == 1  # first: SYB ICS's own self-assessment


def test_choosing_an_entity_lists_its_assessments(qtbot, ctx, db_path):
    window = _window(qtbot, ctx, db_path)
    window.import_examples()
    system = window.nav_model.index(0, 0)
    labels = [window.nav_model.data(window.nav_model.index(r, 0, system)) for r in range(10)]
    sheffield = window.nav_model.index(labels.index("Sheffield Place Partnership"), 0, system)
    window.nav.setCurrentIndex(sheffield)
    assert "Sheffield" in window.entity_page.title.text()
    model = window.entity_page.model
    assert [model.data(model.index(r, 0)) for r in range(model.rowCount())] == [
        "2020/21 Q4",
        "2021/22 Q2",
        "2021/22 Q2",  # the example peer review of Sheffield's self-assessment
    ]
    assert model.data(model.index(0, 4)) == "13 of 13"


def test_unopenable_database_says_why(qtbot, ctx, tmp_path, answers):
    bad = tmp_path / "junk.sqlite3"
    bad.write_bytes(b"junk junk junk junk")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert not window.open_database(str(bad))
    assert answers and "is not a database" in answers[0][1] and str(bad) in answers[0][1]
    assert bad.read_bytes() == b"junk junk junk junk"


def test_geometry_is_remembered(qtbot, ctx, db_path, tmp_path):
    window = _window(qtbot, ctx, db_path)
    window.resize(900, 600)
    window.close()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert settings.value("main_window/geometry") is not None


def test_every_action_has_a_name_and_key_actions_have_shortcuts(qtbot, ctx, db_path):
    window = _window(qtbot, ctx, db_path)
    assert window.new_action.shortcut().toString() == "Ctrl+N"
    assert window.import_action.shortcut().toString() == "Ctrl+I"
    assert window.undo_action.shortcut().toString() == "Ctrl+Z"
    assert "Ctrl+Y" in [s.toString() for s in window.redo_action.shortcuts()]
    for widget in (window.nav, window.entity_page.table, window.welcome.examples_button):
        assert widget.accessibleName()


def test_quick_navigation_matches_the_full_read(ctx, db_path, example_services_path=None):
    from matrix_desktop.paths import examples_dir
    from matrix_desktop.services.context import open_services
    from matrix_desktop.storage.quick import read_navigation

    svc = open_services(db_path)
    svc.exchange.import_paths([examples_dir()])
    svc.close()
    quick = read_navigation(db_path)
    assert quick is not None
    ((system, entities),) = quick
    # two rounds each; Rotherham and Sheffield also have a peer review; the ICS one assessment
    assert sorted(n for _, n in entities) == [1] + [2] * 7 + [3] * 2


def test_review_menu_opens_compare_single_view_and_a_peer_review(qtbot, ctx, db_path, monkeypatch):
    from matrix_desktop.ui.action_plan import ActionPlanWidget
    from matrix_desktop.ui.compare import CompareWidget
    from matrix_desktop.ui.peer_review import PeerReviewWidget
    from matrix_desktop.ui.single_view import SingleViewWidget

    window = _window(qtbot, ctx, db_path)
    window.import_examples()
    window.compare_action.trigger()
    assert isinstance(window.stack.currentWidget(), CompareWidget)
    window.single_view_action.trigger()
    assert isinstance(window.stack.currentWidget(), SingleViewWidget)
    assert window.action_plan_action.shortcut().toString() == "Ctrl+Shift+A"
    window.action_plan_action.trigger()
    plan = window.stack.currentWidget()
    assert isinstance(plan, ActionPlanWidget) and plan.model.rowCount() > 0
    svc = ctx.services
    target = svc.assessments.assessments()[0]
    review = svc.peer_review.start_review(target.id, "Rita Reviewer", "Another Place").review
    window.open_assessment(review.id)
    page = window.stack.currentWidget()
    assert isinstance(page, PeerReviewWidget)
    assert window.stack.count() == 3  # welcome, entity page and one task page: old pages closed


def test_the_entity_page_counts_ratings_without_loading_each_record(
    qtbot, ctx, db_path, monkeypatch
):
    window = _window(qtbot, ctx, db_path)
    window.import_examples()
    svc = ctx.services
    entity_id = svc.assessments.assessments()[0].entity_id
    calls = {"record": 0, "rated_counts": 0}
    record, rated_counts = svc.assessments.record, svc.assessments.rated_counts

    def counting(name, real):  # type: ignore[no-untyped-def]
        def call(*args, **kwargs):  # type: ignore[no-untyped-def]
            calls[name] += 1
            return real(*args, **kwargs)

        return call

    monkeypatch.setattr(svc.assessments, "record", counting("record", record))
    monkeypatch.setattr(svc.assessments, "rated_counts", counting("rated_counts", rated_counts))
    window.show_entity(entity_id)
    assert calls == {"record": 0, "rated_counts": 1}
    model = window.entity_page.model
    assert model.rowCount() == len(svc.assessments.assessments(entity_id)) > 0
    texts = {model.data(model.index(r, c)) for r in range(model.rowCount()) for c in range(7)}
    assert any(isinstance(t, str) and " of " in t for t in texts)


def test_opening_and_closing_the_peer_review_page_leaves_no_listener_behind(qtbot, ctx, db_path):
    from PySide6.QtCore import QCoreApplication, QEvent

    from matrix_desktop.ui.peer_review import PeerReviewWidget

    window = _window(qtbot, ctx, db_path)
    window.import_examples()
    svc = ctx.services
    target = svc.assessments.assessments()[0]
    review = svc.peer_review.start_review(target.id, "Rita Reviewer", "Another Place").review
    before = len(svc.assessments._listeners)
    for _ in range(5):
        window.open_assessment(review.id)
        assert isinstance(window.stack.currentWidget(), PeerReviewWidget)
        assert len(svc.assessments._listeners) == before + 1
        window.show_compare()  # the review page is closed and deleted
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        assert len(svc.assessments._listeners) == before
    assert len(svc.assessments._listeners) == before


def test_task_pages_hear_the_context_reload(qtbot, ctx, db_path, monkeypatch):
    from matrix_desktop.ui.compare import CompareWidget
    from matrix_desktop.ui.peer_review import PeerReviewWidget
    from matrix_desktop.ui.single_view import SingleViewWidget

    window = _window(qtbot, ctx, db_path)
    window.import_examples()
    svc = ctx.services
    target = svc.assessments.assessments()[0]
    review = svc.peer_review.start_review(target.id, "Rita Reviewer", "Another Place").review
    reloaded = []
    monkeypatch.setattr(CompareWidget, "reload", lambda self: reloaded.append("compare"))
    monkeypatch.setattr(SingleViewWidget, "reload", lambda self: reloaded.append("single"))
    monkeypatch.setattr(
        PeerReviewWidget, "refresh", lambda self, change=None: reloaded.append("review")
    )
    for show, name in (
        (window.show_compare, "compare"),
        (window.show_single_view, "single"),
        (lambda: window.open_assessment(review.id), "review"),
    ):
        show()
        reloaded.clear()
        ctx.reloaded.emit()  # a backup restored, the database reopened
        assert name in reloaded


def test_second_copy_is_offered_read_only_with_the_holder_named(
    qtbot, ctx, db_path, monkeypatch, tmp_path
):
    from PySide6.QtCore import QSettings

    from matrix_desktop.ui.context import AppContext
    from matrix_desktop.ui.interaction import interaction

    first = _window(qtbot, ctx, db_path)
    asked = []
    monkeypatch.setattr(
        interaction, "choose", lambda p, t, m, o: asked.append(m) or "Open read-only"
    )
    other_ctx = AppContext(QSettings(str(tmp_path / "other.ini"), QSettings.Format.IniFormat))
    second = MainWindow(other_ctx)
    qtbot.addWidget(second)
    assert second.open_database(str(db_path))
    assert asked and "another copy" in asked[0] and str(__import__("os").getpid()) in asked[0]
    assert other_ctx.read_only and "read-only" in second.windowTitle()
    other_ctx.close_database()
    first.close()


def test_failed_write_is_kept_and_saved_on_retry(qtbot, ctx, db_path, answers, monkeypatch):
    from matrix_desktop.storage.database import WriteFailed

    window = _window(qtbot, ctx, db_path)
    window.import_examples()
    svc = ctx.services
    record = svc.assessments.assessments()[0]
    svc.assessments.execute(svc.assessments.reopen(record.id, "test"))
    command = svc.assessments.edit_rating(record.id, "leadership", evidence="Typed in the workshop")
    real = svc.assessments.execute
    monkeypatch.setattr(
        svc.assessments,
        "execute",
        lambda c: (_ for _ in ()).throw(WriteFailed("disk is full", "disk_full", True)),
    )
    assert ctx.push(command)  # kept to be saved later: not refused
    assert ctx.pending == [command] and "retrying" in window.saved_label.text()
    monkeypatch.setattr(svc.assessments, "execute", real)
    ctx.retry_pending()
    assert ctx.pending == []
    assert (
        svc.assessments.record(record.id).rating("leadership").evidence == "Typed in the workshop"
    )
    assert ctx.undo_stack.count() == 1


def test_reports_menu_writes_a_peer_review_pdf_on_a_worker(
    qtbot, ctx, db_path, tmp_path, monkeypatch
):
    from matrix_desktop.ui.interaction import interaction

    window = _window(qtbot, ctx, db_path)
    window.import_examples()
    target = tmp_path / "report.pdf"
    monkeypatch.setattr(interaction, "save_file", lambda *a: str(target))
    opened = []
    monkeypatch.setattr("matrix_desktop.ui.export_worker.open_file", lambda p: opened.append(p))
    window.reports.peer_review_action.trigger()
    job = window.reports.jobs[-1]
    qtbot.waitUntil(lambda: bool(opened), timeout=30_000)
    assert [str(p) for p in opened] == [str(target)]
    assert target.read_bytes().startswith(b"%PDF") and job is not None


def test_entity_page_shows_progress_and_the_app_reopens_on_the_last_entity(
    qtbot, ctx, db_path, tmp_path
):
    from PySide6.QtCore import QSettings

    from matrix_desktop.ui.context import AppContext

    window = _window(qtbot, ctx, db_path)
    window.import_examples()
    window.show_entity(ctx.services.catalog.find_entity("Barnsley").id)
    entity_id = window.current_entity_id
    progress = window.entity_page.progress
    assert progress.progress is not None and progress.progress.rounds == (
        "2020/21 Q4",
        "2021/22 Q2",
    )
    assert progress.radar.chart is not None and len(progress.radar.chart.series) == 2
    assert progress.table_model.rowCount() == 13
    window.close()
    again = AppContext(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    second = MainWindow(again)
    qtbot.addWidget(second)
    with qtbot.waitSignal(second.radar_shown, timeout=10_000):
        assert second.open_database(str(db_path))
    assert second.current_entity_id == entity_id
    again.close_database()


def test_import_framework_from_the_file_menu(qtbot, ctx, db_path, tmp_path, monkeypatch, answers):
    import yaml

    from matrix_desktop.paths import frameworks_dir
    from matrix_desktop.ui.interaction import interaction

    window = _window(qtbot, ctx, db_path)
    data = yaml.safe_load((frameworks_dir() / "syb_place_development_matrix_v1_4.yaml").read_text())
    data["version"] = "v2"
    good = tmp_path / "v2.yaml"
    good.write_text(yaml.safe_dump(data), encoding="utf-8")
    monkeypatch.setattr(interaction, "open_file", lambda *a: str(good))
    window.import_framework_action.trigger()
    assert "added" in window.status_label.text()
    assert ("syb-place-development-matrix", "v2") in {
        (f.key, f.version) for f in ctx.services.catalog.frameworks()
    }
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\nkey: broken\n", encoding="utf-8")
    monkeypatch.setattr(interaction, "open_file", lambda *a: str(bad))
    window.import_framework_action.trigger()
    assert answers and "bad.yaml" in answers[-1][1]


def _menu_titles(window) -> list[str]:
    return [a.text().replace("&", "") for a in window.menuBar().actions()]


def test_assessment_menu_is_there_only_while_the_workshop_screen_is(qtbot, ctx, db_path):
    window = _window(qtbot, ctx, db_path)
    window.import_examples()
    first = window.services.assessments.assessments()[0]
    assert "Assessment" not in _menu_titles(window)
    window.open_assessment(first.id)
    window.open_assessment(first.id)  # the screen replaced by another: still one menu
    assert _menu_titles(window).count("Assessment") == 1
    view = [a.text().replace("&", "") for a in window.view_menu.actions()]
    assert view.count("Presentation mode") == 1
    window.show_compare()
    assert "Assessment" not in _menu_titles(window)  # at once, not when the screen is deleted
    assert "Presentation mode" not in [
        a.text().replace("&", "") for a in window.view_menu.actions()
    ]


def test_dropping_exchange_files_on_the_window_imports_them_after_the_preview(
    qtbot, ctx, db_path, monkeypatch
):
    from PySide6.QtCore import QMimeData, QUrl

    from matrix_desktop.paths import examples_dir
    from matrix_desktop.ui import import_dialog

    window = _window(qtbot, ctx, db_path)
    shown = []

    class Accepting(import_dialog.ImportDialog):
        def exec(self):  # the user looks at the preview and presses Import
            shown.append(self.plan.summary())
            return True

    monkeypatch.setattr(import_dialog, "ImportDialog", Accepting)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in sorted(examples_dir().glob("*.json"))[:2]])
    assert window.import_dropped(mime)
    assert shown and shown[0].startswith("4 new")
    assert len(ctx.services.assessments.assessments()) == 4
    assert not window.import_dropped(QMimeData())  # nothing to import: nothing changes
    assert len(ctx.services.assessments.assessments()) == 4
