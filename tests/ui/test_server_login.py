"""Opening a server database in the window: the password dialog, the keychain, no password shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from bench_modules import load_benchmark
from matrix_desktop.ui.main_window import MainWindow
from matrix_desktop.ui.password_dialog import PasswordDialog

SECRET = "Pa55-word!"


def _pgserver():  # type: ignore[no-untyped-def]
    return load_benchmark("_pgserver")


@pytest.fixture(scope="module")
def server_url():  # type: ignore[no-untyped-def]
    """A migrated database on a throwaway server, with a login that must give a password."""
    import psycopg

    from matrix_desktop.services import server_admin

    server = _pgserver().start_server()
    try:
        hba = server.data / "pg_hba.conf"
        hba.write_text("host all ward 127.0.0.1/32 scram-sha-256\n" + hba.read_text())
        url = server.create_database("login")
        server_admin.init(url)  # the schema, set up by the owner as an administrator would
        admin = f"host=127.0.0.1 port={server.port} user=postgres dbname=login"
        with psycopg.connect(admin, autocommit=True) as con:
            con.execute(f"CREATE ROLE ward LOGIN PASSWORD '{SECRET}'")
            con.execute("SELECT pg_reload_conf()")
        server_admin.grant(url, "ward", "administrator", [])
        yield f"postgresql+psycopg://ward@127.0.0.1:{server.port}/login"
    finally:
        server.stop()


class MemoryKeychain:
    """A keyring backend kept in memory (the test machine has no keychain)."""

    priority = 1

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, user: str) -> str | None:
        return self.items.get((service, user))

    def set_password(self, service: str, user: str, password: str) -> None:
        self.items[(service, user)] = password


@pytest.fixture
def keychain(monkeypatch):  # type: ignore[no-untyped-def]
    import keyring

    from matrix_desktop.services import server_login

    memory = MemoryKeychain()
    # Stands in for the OS keychain: trusted as one (see server_login.is_os_keychain).
    monkeypatch.setattr(
        server_login, "OS_KEYCHAIN_MODULES", (*server_login.OS_KEYCHAIN_MODULES, __name__)
    )
    monkeypatch.setattr(keyring, "get_keyring", lambda: memory)
    monkeypatch.setattr(keyring, "get_password", memory.get_password)
    monkeypatch.setattr(keyring, "set_password", memory.set_password)
    return memory


def _answer_password_dialog(qtbot, password: str, remember: bool, seen: list[str]) -> None:  # type: ignore[no-untyped-def]
    """When the password dialog shows, type into it and press Connect (as a user would)."""

    def answer() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, PasswordDialog)]
        shown = [d for d in dialogs if d.isVisible()]
        if not shown:
            QTimer.singleShot(20, answer)
            return
        dialog = shown[0]
        seen.append(dialog.message.text())
        qtbot.keyClicks(dialog.password, password)
        if remember:
            qtbot.mouseClick(dialog.remember, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)


def test_wrong_password_brings_the_dialog_and_the_right_one_opens(
    qtbot, ctx, server_url, keychain, answers
):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    seen: list[str] = []
    _answer_password_dialog(qtbot, SECRET, remember=True, seen=seen)
    wrong = server_url.replace("ward@", "ward:not-" + SECRET + "@")
    assert window.open_database(wrong)
    assert seen and "refused the password" in seen[0] and SECRET not in seen[0]
    assert window.services is not None
    assert SECRET not in window.windowTitle() and "ward:***@" in window.windowTitle()
    assert SECRET not in window.status_label.text() and "Database:" in window.status_label.text()
    assert not answers  # no error shown
    # Remembered only because it was ticked, and only in the keychain.
    assert list(keychain.items.values()) == [SECRET]
    ctx.settings.sync()
    settings = Path(ctx.settings.fileName())
    assert not settings.exists() or SECRET not in settings.read_text(encoding="utf-8")


def test_remembered_password_opens_without_asking(qtbot, ctx, server_url, keychain, answers):
    from matrix_desktop.services.server_login import KEYCHAIN_SERVICE, keychain_account

    keychain.set_password(KEYCHAIN_SERVICE, keychain_account(server_url), SECRET)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert window.open_database(server_url)  # no password in the URL: the keychain's is used
    assert window.services is not None and not answers


def test_missing_password_not_remembered_unless_ticked(qtbot, ctx, server_url, keychain, answers):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    seen: list[str] = []
    _answer_password_dialog(qtbot, SECRET, remember=False, seen=seen)
    assert window.open_database(server_url + f"?password=x{SECRET}")
    assert seen and "refused the password" in seen[0] and SECRET not in seen[0]
    assert window.services is not None and not keychain.items


def test_cancelled_password_dialog_says_why_and_leaves_no_database_open(
    qtbot, ctx, server_url, keychain, answers
):
    window = MainWindow(ctx)
    qtbot.addWidget(window)

    def cancel() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, PasswordDialog)]
        shown = [d for d in dialogs if d.isVisible()]
        if not shown:
            QTimer.singleShot(20, cancel)
            return
        qtbot.keyClick(shown[0], Qt.Key.Key_Escape)

    QTimer.singleShot(0, cancel)
    assert not window.open_database(server_url)
    assert answers and answers[0][0] == "Cannot open the database"
    assert "asks for a password" in answers[0][1]
    assert window.status_label.text() == "No database open"


def test_unreachable_server_gives_a_message_not_a_stuck_window(qtbot, ctx, answers):
    port = _pgserver().free_port()
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert not window.open_database(f"postgresql+psycopg://ann:{SECRET}@127.0.0.1:{port}/x")
    assert answers and "cannot reach the database server" in answers[0][1]
    assert SECRET not in answers[0][1]
    assert window.status_label.text() == "No database open"


def test_password_dialog_without_a_keychain_cannot_remember(qtbot):
    dialog = PasswordDialog("the server asks for a password", can_remember=False)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.password, "abc")
    qtbot.mouseClick(dialog.remember, Qt.MouseButton.LeftButton)
    assert dialog.answer() == ("abc", False)
    assert dialog.password.echoMode() == dialog.password.EchoMode.Password


@pytest.fixture
def real_keychain(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """A real keyring backend (keyrings.alt's file keyring) in a temporary folder, made the
    keyring package's backend for the test: the app's own calls reach it unchanged. The app
    trusts only the operating system's keychains, so the test adds this one to that list."""
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    from matrix_desktop.services import server_login

    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring" / "keyring_pass.cfg")
    before = keyring.get_keyring()
    keyring.set_keyring(backend)
    monkeypatch.setattr(
        server_login, "OS_KEYCHAIN_MODULES", (*server_login.OS_KEYCHAIN_MODULES, "keyrings.alt.")
    )
    yield backend
    keyring.set_keyring(before)


def test_a_plain_text_file_keyring_is_never_taken_for_the_keychain(tmp_path):
    """keyrings.alt's files (plain text, or its own cipher) are not the OS keychain: with one
    as keyring's backend the app offers no "remember" and writes no password to it."""
    import keyring
    from keyring.backends.chainer import ChainerBackend
    from keyrings.alt.file import PlaintextKeyring

    from matrix_desktop.services import server_login

    plain = PlaintextKeyring()
    plain.file_path = str(tmp_path / "plain.cfg")
    before = keyring.get_keyring()
    try:
        keyring.set_keyring(plain)
        assert not server_login.keychain_available()
        url = "postgresql+psycopg://ann@127.0.0.1:1/matrix"
        server_login.remember_password(url, "s3cret")
        assert (
            not (tmp_path / "plain.cfg").exists()
            or "s3cret" not in (tmp_path / "plain.cfg").read_text()
        )
    finally:
        keyring.set_keyring(before)
    assert not server_login.is_os_keychain(plain)

    class OneFileChain(ChainerBackend):  # keyring's chainer over one plain-text file
        backends = [plain]

    OneFileChain.__module__ = ChainerBackend.__module__
    assert not server_login.is_os_keychain(OneFileChain())


class DialogAnswers:
    """Answers every password dialog that shows while the window opens: types the password
    and sets "remember" with a mouse click (None: cancels with Escape); records each."""

    def __init__(self, qtbot, password: str | None, remember: bool = False):  # type: ignore[no-untyped-def]
        self.qtbot = qtbot
        self.password = password
        self.remember = remember
        self.shown: list[tuple[str, bool]] = []  # (message, "remember" ticked when shown)
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._answer)
        self.timer.start()

    def _answer(self) -> None:
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, PasswordDialog)]
        shown = [d for d in dialogs if d.isVisible()]
        if not shown:
            return
        dialog = shown[0]
        self.shown.append((dialog.message.text(), dialog.remember.isChecked()))
        if self.password is None or len(self.shown) > 3:  # never answer a loop forever
            self.qtbot.keyClick(dialog, Qt.Key.Key_Escape)
            return
        self.qtbot.keyClicks(dialog.password, self.password)
        if dialog.remember.isChecked() != self.remember:
            self.qtbot.mouseClick(dialog.remember, Qt.MouseButton.LeftButton)
        self.qtbot.keyClick(dialog.password, Qt.Key.Key_Return)

    def stop(self) -> None:
        self.timer.stop()


def _open(qtbot, ctx, url: str, password: str | None, remember: bool = False):  # type: ignore[no-untyped-def]
    """Open url in a new window, answering password dialogs; returns (opened, dialogs shown)."""
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    answers = DialogAnswers(qtbot, password, remember)
    try:
        opened = window.open_database(url)
    finally:
        answers.stop()
    ctx.close_database()
    return opened, answers.shown


def test_real_keychain_opt_in_reuse_wrong_stored_and_opt_out(
    qtbot, ctx, server_url, real_keychain, answers
):
    from matrix_desktop.services.server_login import KEYCHAIN_SERVICE, keychain_account

    account = keychain_account(server_url)
    stored = lambda: real_keychain.get_password(KEYCHAIN_SERVICE, account)  # noqa: E731
    # Opt in: the password typed with "remember" ticked lands in the keychain, and only there.
    opened, shown = _open(qtbot, ctx, server_url, SECRET, remember=True)
    assert opened and len(shown) == 1 and not shown[0][1]
    assert stored() == SECRET
    assert Path(real_keychain.file_path).is_file()
    ctx.settings.sync()
    settings = Path(ctx.settings.fileName())
    assert not settings.exists() or SECRET not in settings.read_text(encoding="utf-8")

    # The next open needs no dialog.
    opened, shown = _open(qtbot, ctx, server_url, None)
    assert opened and shown == []

    # A wrong stored password (changed on the server meanwhile) brings the dialog back once,
    # "remember" already ticked; the right one typed replaces it. No loop.
    real_keychain.set_password(KEYCHAIN_SERVICE, account, "stale-" + SECRET)
    opened, shown = _open(qtbot, ctx, server_url, SECRET, remember=True)
    assert opened and len(shown) == 1
    assert "refused the password" in shown[0][0] and SECRET not in shown[0][0]
    assert shown[0][1]  # ticked: a password is remembered for this login
    assert stored() == SECRET

    # A wrong stored password and the dialog cancelled: one dialog, then a message; no loop.
    real_keychain.set_password(KEYCHAIN_SERVICE, account, "stale-" + SECRET)
    opened, shown = _open(qtbot, ctx, server_url, None)
    assert not opened and len(shown) == 1
    assert answers and answers[-1][0] == "Cannot open the database"

    # Opting out: "remember" unticked when the dialog asks removes it from the keychain.
    opened, shown = _open(qtbot, ctx, server_url, SECRET, remember=False)
    assert opened and len(shown) == 1 and shown[0][1]
    assert stored() is None
    opened, shown = _open(qtbot, ctx, server_url, SECRET, remember=False)
    assert opened and len(shown) == 1 and not shown[0][1]  # asked again: nothing stored
    assert not answers or answers[-1][0] == "Cannot open the database"
