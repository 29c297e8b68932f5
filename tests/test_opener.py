"""Opening a report with the default application: os.startfile, open, xdg-open; from the
frozen bundle, without the bundle's library and Qt plugin paths."""

from __future__ import annotations

import os
import sys

import pytest

from matrix_desktop import opener

BUNDLE = "/opt/Matrix Desktop/_internal"
FROZEN_ENV = {
    "HOME": "/home/ann",
    "LD_LIBRARY_PATH": f"{BUNDLE}:/usr/local/lib",
    "LD_LIBRARY_PATH_ORIG": "/usr/local/lib",
    "QT_PLUGIN_PATH": f"{BUNDLE}/PySide6/Qt/plugins",
    "QML2_IMPORT_PATH": f"{BUNDLE}/PySide6/Qt/qml",
}


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", BUNDLE, raising=False)


def test_child_gets_the_users_environment_back():
    env = opener.child_environment(FROZEN_ENV, bundle=BUNDLE)
    assert env == {"HOME": "/home/ann", "LD_LIBRARY_PATH": "/usr/local/lib"}


def test_child_without_an_original_library_path_gets_none():
    frozen_env = {"LD_LIBRARY_PATH": BUNDLE, "PATH": "/usr/bin"}
    assert opener.child_environment(frozen_env, bundle=BUNDLE) == {"PATH": "/usr/bin"}


def test_from_source_the_environment_is_left_alone():
    assert opener.child_environment(FROZEN_ENV) == FROZEN_ENV  # not frozen here


def test_linux_uses_xdg_open_with_the_clean_environment(frozen, tmp_path):
    started = []
    report = tmp_path / "Barnsley – peer review.pdf"
    assert opener.open_path(
        report,
        platform="linux",
        spawn=lambda cmd, env: started.append((cmd, env)),
        environ=dict(FROZEN_ENV),
    )
    ((command, env),) = started
    assert command == ["xdg-open", str(report)]
    assert "QT_PLUGIN_PATH" not in env and env["LD_LIBRARY_PATH"] == "/usr/local/lib"


def test_macos_uses_open(tmp_path):
    started = []
    assert opener.open_path(
        tmp_path / "r.pdf", platform="darwin", spawn=lambda c, e: started.append(c)
    )
    assert started == [["open", str(tmp_path / "r.pdf")]]


def test_windows_uses_startfile_without_bundle_paths_then_restores_them(frozen, tmp_path):
    environ = dict(FROZEN_ENV)
    seen = []

    def startfile(path):
        seen.append((path, dict(environ)))

    assert opener.open_path(
        tmp_path / "r.pdf", platform="win32", startfile=startfile, environ=environ
    )
    ((path, during),) = seen
    assert path == str(tmp_path / "r.pdf")
    assert "QT_PLUGIN_PATH" not in during and during["LD_LIBRARY_PATH"] == "/usr/local/lib"
    assert environ == FROZEN_ENV  # the app's own environment is back as it was


def test_no_application_for_the_file_is_reported_not_raised(tmp_path):
    def startfile(path):
        raise OSError(1155, "No application is associated with the specified file")

    assert not opener.open_path(tmp_path / "r.xyz", platform="win32", startfile=startfile)

    def no_xdg_open(command, env):
        raise FileNotFoundError(2, "No such file or directory", "xdg-open")

    assert not opener.open_path(tmp_path / "r.pdf", platform="linux", spawn=no_xdg_open)


def test_relative_paths_are_opened_as_absolute(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    started = []
    opener.open_path("out.pdf", platform="linux", spawn=lambda c, e: started.append(c))
    assert started == [["xdg-open", os.path.join(str(tmp_path), "out.pdf")]]
