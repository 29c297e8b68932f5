"""Opening a written report with the user's default application, on each system.

Windows: os.startfile (the file association, as Explorer would; no shell, no console).
macOS: `open FILE`. Linux: `xdg-open FILE`.

From the frozen bundle the child must not inherit the bundle's own library paths: the
PyInstaller bootloader points LD_LIBRARY_PATH at the bundle (keeping the user's value in
LD_LIBRARY_PATH_ORIG), and the PySide6 run-time hook points QT_PLUGIN_PATH and
QML2_IMPORT_PATH at the bundled Qt, so a PDF viewer built on another Qt, or any program
started through xdg-open's shell, would load our copies and crash. child_environment()
undoes those for the program started.
"""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from pathlib import Path

from matrix_desktop.paths import is_frozen

log = logging.getLogger(__name__)

# Set by the bootloader (restored from *_ORIG) or by PyInstaller's Qt run-time hook.
_RESTORED = ("LD_LIBRARY_PATH", "DYLD_LIBRARY_PATH")
_BUNDLE_ONLY = ("QT_PLUGIN_PATH", "QML2_IMPORT_PATH")


def child_environment(
    env: Mapping[str, str] | None = None, bundle: str | None = None
) -> dict[str, str]:
    """Return the environment a program started for the user should get.

    bundle is the frozen bundle's folder (sys._MEIPASS; None when running from source, and
    then the environment is returned unchanged).
    """
    out = dict(os.environ if env is None else env)
    if bundle is None:
        bundle = getattr(sys, "_MEIPASS", None) if is_frozen() else None
    if not bundle:
        return out
    for name in _RESTORED:
        original = out.pop(f"{name}_ORIG", None)
        if original is not None:
            out[name] = original
        elif name in out:
            kept = [p for p in out[name].split(os.pathsep) if p and not p.startswith(bundle)]
            if kept:
                out[name] = os.pathsep.join(kept)
            else:
                del out[name]
    for name in _BUNDLE_ONLY:
        if out.get(name, "").startswith(bundle):
            del out[name]
    return out


@contextlib.contextmanager
def _environment(environ: MutableMapping[str, str], wanted: Mapping[str, str]) -> Iterator[None]:
    """Make environ equal to wanted for the duration (os.startfile takes no env argument)."""
    saved = dict(environ)
    changed = {k for k in set(saved) | set(wanted) if saved.get(k) != wanted.get(k)}
    for key in changed:
        if key in wanted:
            environ[key] = wanted[key]
        else:
            environ.pop(key, None)
    try:
        yield
    finally:
        for key in changed:
            if key in saved:
                environ[key] = saved[key]
            else:
                environ.pop(key, None)


def _spawn(command: list[str], env: Mapping[str, str]) -> None:
    """Start a program detached from ours; a thread reaps it so no zombie is left."""
    proc = subprocess.Popen(  # noqa: S603 - a fixed program and a file path, no shell
        command,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    threading.Thread(target=proc.wait, name="opener-reaper", daemon=True).start()


def open_path(
    path: str | os.PathLike[str],
    *,
    platform: str | None = None,
    startfile: Callable[[str], object] | None = None,
    spawn: Callable[[list[str], Mapping[str, str]], object] = _spawn,
    environ: MutableMapping[str, str] | None = None,
) -> bool:
    """Open a file with the user's default application; return False if nothing could.

    platform, startfile, spawn and environ stand in for sys.platform, os.startfile, starting
    a process and os.environ in tests.
    """
    platform = sys.platform if platform is None else platform
    environ = os.environ if environ is None else environ
    target = str(Path(path).absolute())
    env = child_environment(environ)
    try:
        if platform == "win32":
            start = startfile or getattr(os, "startfile")  # noqa: B009 - Windows only
            with _environment(environ, env):
                start(target)
        elif platform == "darwin":
            spawn(["open", target], env)
        else:
            spawn(["xdg-open", target], env)
    except (OSError, AttributeError) as exc:  # no association, no xdg-open, no startfile
        log.warning("could not open %s with the default application: %s", target, exc)
        return False
    return True
