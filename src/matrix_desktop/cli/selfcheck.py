"""`matrix-desktop --self-check`: proves an installation works end to end on a temporary database.

Each step prints what it did and how long it took; the first failure stops the check with a
message naming the step and the problem, and the exit status is 1. Nothing outside a
temporary folder is read or written except the bundled resources, so it is safe to run on a
partnership lead's laptop, in CI on the frozen bundle, or from a read-only install folder.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matrix_desktop import APP_NAME, __version__


class SelfCheckFailed(Exception):
    """A step found something wrong; the message says what and where."""


@dataclass
class SelfCheck:
    """State shared by the steps: the temporary folder and what earlier steps produced."""

    workdir: Path
    gui: bool = True
    found: dict[str, Any] = field(default_factory=dict)
    # Builds and renders the main window on (database, settings file); returns what it saw.
    # The entry point supplies it (matrix_desktop.app.gui_self_check): cli never imports ui.
    window: WindowCheck | None = None


Step = Callable[[SelfCheck], str]
WindowCheck = Callable[[Path, Path], str]


def _step_resources(check: SelfCheck) -> str:
    from matrix_desktop import paths

    wanted = {
        "frameworks": paths.frameworks_dir(),
        "fonts": paths.fonts_dir(),
        "icons": paths.icons_dir(),
        "licences": paths.licenses_dir(),
        "examples": paths.examples_dir(),
        "migrations": paths.migrations_dir() / "versions",
    }
    missing = [f"{name} ({where})" for name, where in wanted.items() if not where.is_dir()]
    if missing:
        raise SelfCheckFailed("missing resource folders: " + ", ".join(missing))
    where = "frozen bundle" if paths.is_frozen() else "source tree"
    return f"{where}, resources in {paths.resources_dir()}"


def _step_database(check: SelfCheck) -> str:
    from matrix_desktop.services.context import open_services
    from matrix_desktop.storage.schema import HEAD_REVISION

    db_path = check.workdir / "self-check.sqlite3"
    services = open_services(db_path, user="self-check")
    check.found["services"] = services
    check.found["database"] = db_path
    from sqlalchemy import text

    with services.db.engine.connect() as conn:
        stamped = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if stamped != HEAD_REVISION:
        raise SelfCheckFailed(f"migrations left schema {stamped!r}, expected {HEAD_REVISION!r}")
    return f"created {db_path.name}, migrated to schema {stamped}"


def _step_frameworks(check: SelfCheck) -> str:
    services = check.found["services"]
    frameworks = services.catalog.frameworks()
    if not frameworks:
        raise SelfCheckFailed("no bundled frameworks were loaded into the new database")
    return "; ".join(f"{fw.title}: {len(fw.domains)} domains" for fw in frameworks)


def _step_import(check: SelfCheck) -> str:
    from matrix_desktop.paths import examples_dir

    files = sorted(examples_dir().glob("*.json"))
    if not files:
        raise SelfCheckFailed(f"no example files in {examples_dir()}")
    example = files[0]
    services = check.found["services"]
    result = services.exchange.import_paths([example])
    if not result.changed:
        raise SelfCheckFailed(f"{example.name}: no assessments imported")
    check.found["record"] = services.assessments.record(result.changed[0])
    return f"{example.name}: {result.plan.summary()}"


def _step_radar(check: SelfCheck) -> str:
    from matrix_desktop.charts.export import save_png, save_svg
    from matrix_desktop.charts.radar import build_radar
    from matrix_desktop.core.chart_models import RadarSeries, radar_for

    services = check.found["services"]
    record = check.found["record"]
    assessment = record.assessment
    framework = services.assessments.framework_of(assessment)
    entity = services.catalog.entity(assessment.entity_id)
    domains = framework.domains_for(entity.kind)
    values = tuple(framework.stage_position(record.rating(d.key).stage) for d in domains)
    chart = radar_for(
        framework,
        (d.title for d in domains),
        (RadarSeries(label=assessment.title or "Self-assessment", values=values),),
        title=entity.name,
    )
    fig = build_radar(chart)
    png = save_png(fig, check.workdir / "radar.png")
    svg = save_svg(fig, check.workdir / "radar.svg")
    if not png.read_bytes().startswith(b"\x89PNG"):
        raise SelfCheckFailed(f"{png}: not a PNG file")
    check.found.update(figure=fig, entity=entity, framework=framework)
    scored = sum(v is not None for v in values)
    return (
        f"{entity.name}: {len(domains)} axes, {scored} scored; "
        f"PNG {png.stat().st_size // 1024} KB, SVG {svg.stat().st_size // 1024} KB"
    )


def _step_pdf(check: SelfCheck) -> str:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from matrix_desktop.charts.export import figure_to_drawing, register_pdf_fonts

    entity, framework = check.found["entity"], check.found["framework"]
    target = check.workdir / "self-check.pdf"
    have_font = register_pdf_fonts()
    styles = getSampleStyleSheet()
    if have_font:
        for name in ("Title", "Normal"):
            styles[name].fontName = "DejaVuSans-Bold" if name == "Title" else "DejaVuSans"
    doc = SimpleDocTemplate(str(target), pagesize=A4, title=f"{APP_NAME} self-check")
    drawing = figure_to_drawing(check.found["figure"], width=doc.width)
    doc.build(
        [
            Paragraph(f"{APP_NAME} {__version__} self-check", styles["Title"]),
            Paragraph(f"{entity.name}: {framework.title}", styles["Normal"]),
            drawing,
        ]
    )
    data = target.read_bytes()
    if not data.startswith(b"%PDF") or b"%%EOF" not in data[-64:]:
        raise SelfCheckFailed(f"{target}: the PDF is incomplete")
    font = "DejaVu Sans embedded" if have_font else "no bundled font (Helvetica)"
    return f"{target.name}: {len(data) // 1024} KB, radar as vector drawing, {font}"


def _step_docx(check: SelfCheck) -> str:
    """Write a small Word report (headings, a table, the radar, page numbers) and read it back."""
    import io

    from docx import Document

    from matrix_desktop.charts.export import figure_to_png
    from matrix_desktop.services.reports import write_check_document

    entity, framework = check.found["entity"], check.found["framework"]
    target = write_check_document(
        check.workdir / "self-check.docx",
        f"{APP_NAME} self-check",
        (("Framework", framework.title), ("Domains", str(len(framework.domains)))),
        figure_to_png(check.found["figure"], dpi=100),
        f"Radar of {entity.name}",
    )
    data = target.read_bytes()
    read = Document(io.BytesIO(data))
    if len(read.tables) != 1 or len(read.inline_shapes) != 1:
        raise SelfCheckFailed(f"{target}: the Word document lost its table or image")
    return f"{target.name}: {len(data) // 1024} KB, Word headings, a table, an image"


def _libpq_version(number: int) -> str:
    """Return libpq's version number (e.g. 170004) as PostgreSQL writes it (17.4)."""
    return f"{number // 10000}.{number % 100}" if number >= 100000 else str(number)


def _step_server_client(check: SelfCheck) -> str:
    """The PostgreSQL driver (psycopg with its own libpq, pipeline mode) and the keychain.

    Nothing is connected to: this proves the frozen bundle carries what `--database
    postgresql+psycopg://...` needs. A source install without the `server` extra skips the
    driver part; a bundle without it fails. No keychain on this system is not a failure
    (the password is then asked for each time), but keyring missing from a bundle is.
    """
    from matrix_desktop import paths

    frozen = paths.is_frozen()
    try:
        import psycopg
        from psycopg import pq
    except ImportError as exc:
        if frozen:
            raise SelfCheckFailed(f"the bundle has no PostgreSQL driver (psycopg): {exc}") from exc
        driver = "driver skipped (psycopg not installed: pip install 'matrix-desktop[server]')"
    else:
        if frozen and pq.__impl__ not in ("binary", "c"):
            raise SelfCheckFailed(
                f"psycopg uses its {pq.__impl__!r} libpq wrapper, not the bundled libpq "
                "(psycopg_binary is missing from the bundle)"
            )
        libpq = pq.version()
        capabilities = getattr(psycopg, "capabilities", None)  # psycopg 3.2 and newer
        if not (capabilities.has_pipeline() if capabilities else psycopg.Pipeline.is_supported()):
            raise SelfCheckFailed(
                f"libpq {_libpq_version(libpq)} has no pipeline mode (needs 14 or newer); "
                "storage/pipeline.py sends each edit's statements in one round trip with it"
            )
        from sqlalchemy import create_engine

        # The dialect SQLAlchemy loads by the URL's name, with the driver; nothing connects.
        engine = create_engine("postgresql+psycopg://self-check@127.0.0.1:9/self-check")
        dialect = f"{engine.dialect.name}+{engine.dialect.driver}"
        engine.dispose()
        import ssl  # psycopg has loaded it: the OpenSSL libpq's TLS shares (in the bundle)

        driver = (
            f"psycopg {psycopg.__version__} ({pq.__impl__}), libpq {_libpq_version(libpq)}, "
            f"pipeline mode, {dialect}, {' '.join(ssl.OPENSSL_VERSION.split()[:2])}"
        )
    try:
        import keyring
    except ImportError as exc:
        if frozen:
            raise SelfCheckFailed(f"the bundle has no keyring package: {exc}") from exc
        return f"{driver}; keychain skipped (keyring not installed)"
    if sys.platform.startswith("linux"):
        _secret_service_crypto()
    from matrix_desktop.services.server_login import keychain_available

    backend = keyring.get_keyring()
    if keychain_available():
        keychain = f"keychain {type(backend).__module__}.{type(backend).__name__}"
    else:
        keychain = "no keychain on this system (a server password is asked for each time)"
    return f"{driver}; keyring {_dist_version('keyring')}, {keychain}"


def _secret_service_crypto() -> None:
    """Load keyring's Linux backend and run the cipher of its Secret Service session once.

    SecretStorage (D-Bus through jeepney) encrypts the session with AES-128-CBC from
    cryptography; without a session bus it is never used, so it is exercised here.
    """
    try:
        import secretstorage  # noqa: F401
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    except ImportError as exc:
        raise SelfCheckFailed(
            f"keyring's Secret Service backend cannot load (secretstorage: {exc})"
        ) from exc
    key, iv, block = bytes(range(16)), bytes(16), b"matrix-desktop!!"
    cipher = Cipher(algorithms.AES(key), modes.CBC(iv))
    encryptor, decryptor = cipher.encryptor(), cipher.decryptor()
    sealed = encryptor.update(block) + encryptor.finalize()
    if sealed == block or decryptor.update(sealed) + decryptor.finalize() != block:
        raise SelfCheckFailed("cryptography's AES does not round-trip (Secret Service session)")


def _dist_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "(version unknown)"


def _step_gui(check: SelfCheck) -> str:
    if not check.gui:
        return "skipped (--self-check with MATRIX_DESKTOP_SELF_CHECK_GUI=0)"
    if check.window is None:
        return "skipped (this entry point has no desktop application)"
    return check.window(check.found["database"], check.workdir / "settings.ini")


STEPS: tuple[tuple[str, Step], ...] = (
    ("resources", _step_resources),
    ("database and migrations", _step_database),
    ("frameworks", _step_frameworks),
    ("import example", _step_import),
    ("radar PNG/SVG", _step_radar),
    ("PDF", _step_pdf),
    ("Word document", _step_docx),
    ("server client", _step_server_client),
    ("window", _step_gui),
)


def _temporary_folder() -> tempfile.TemporaryDirectory[str]:
    try:
        return tempfile.TemporaryDirectory(
            prefix="matrix-desktop-self-check-", ignore_cleanup_errors=True
        )
    except OSError as exc:
        raise SelfCheckFailed(
            f"cannot create a temporary folder ({exc}); the self-check needs a writable "
            "temporary folder: set TMPDIR (TEMP on Windows) to one"
        ) from exc


def run_self_check(
    args: argparse.Namespace | None = None, window: WindowCheck | None = None
) -> int:
    """Run every step on a fresh temporary database; returns 0 if all passed, else 1.

    window checks the desktop application (the `window` step); without it that step is skipped.
    """
    verbose = bool(getattr(args, "verbose", False))
    # Never show a window during a check; Qt renders offscreen unless the caller chose.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    gui = os.environ.get("MATRIX_DESKTOP_SELF_CHECK_GUI", "1") != "0"
    print(f"{APP_NAME} {__version__} self-check (Python {sys.version.split()[0]}, {sys.platform})")
    started = time.perf_counter()
    try:
        tmp = _temporary_folder()
    except SelfCheckFailed as exc:
        print(f"FAILED  temporary folder: {exc}", file=sys.stderr)
        return 1
    with tmp as folder:
        check = SelfCheck(Path(folder), gui=gui, window=window)
        try:
            for name, step in STEPS:
                t0 = time.perf_counter()
                try:
                    detail = step(check)
                except Exception as exc:  # noqa: BLE001 - every failure is reported, then exit 1
                    ms = (time.perf_counter() - t0) * 1000
                    print(
                        f"FAILED  {name} ({ms:.0f} ms): {type(exc).__name__}: {exc}",
                        file=sys.stderr,
                    )
                    if verbose:
                        traceback.print_exc()
                    return 1
                ms = (time.perf_counter() - t0) * 1000
                print(f"ok      {name:<24} {ms:7.0f} ms  {detail}", flush=True)
        finally:
            services = check.found.get("services")
            if services is not None:
                services.close()
    total = time.perf_counter() - started
    print(f"self-check passed in {total:.1f} s")
    return 0
