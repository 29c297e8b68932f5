"""Gather the licence texts of everything the bundle ships into resources/licenses/.

Reads each installed distribution's own licence files (from its .dist-info), so the texts
are the real ones of the versions being bundled; writes one .txt per component and an
index.json that the About dialog lists. Run it from the environment that builds the bundle:

    python build/collect_licenses.py

The output is committed; rerun after upgrading a dependency.
"""

from __future__ import annotations

import importlib.metadata as md
import json
import re
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "licenses"
COMMON_LICENSES = Path("/usr/share/common-licenses")

# distribution -> (name shown, licence shown); the licence column uses SPDX where it exists.
COMPONENTS: dict[str, tuple[str, str]] = {
    "PySide6-Essentials": ("Qt for Python (PySide6) and Qt 6", "LGPL-3.0-only"),
    "shiboken6": ("Shiboken6", "LGPL-3.0-only"),
    "matplotlib": ("matplotlib", "Matplotlib License (PSF-based)"),
    "numpy": ("NumPy", "BSD-3-Clause and others"),
    "pillow": ("Pillow", "MIT-CMU"),
    "contourpy": ("ContourPy", "BSD-3-Clause"),
    "kiwisolver": ("kiwisolver", "BSD-3-Clause"),
    "fonttools": ("fontTools", "MIT"),
    "cycler": ("cycler", "BSD-3-Clause"),
    "pyparsing": ("pyparsing", "MIT"),
    "python-dateutil": ("python-dateutil", "BSD-3-Clause"),
    "packaging": ("packaging", "Apache-2.0 OR BSD-2-Clause"),
    "reportlab": ("ReportLab Toolkit", "BSD-3-Clause"),
    "svglib": ("svglib", "LGPL-3.0-or-later"),
    "lxml": ("lxml", "BSD-3-Clause"),
    "cssselect2": ("cssselect2", "BSD-3-Clause"),
    "tinycss2": ("tinycss2", "BSD-3-Clause"),
    "webencodings": ("webencodings", "BSD-3-Clause"),
    "SQLAlchemy": ("SQLAlchemy", "MIT"),
    "sqlmodel": ("SQLModel", "MIT"),
    "alembic": ("Alembic", "MIT"),
    "Mako": ("Mako", "MIT"),
    "MarkupSafe": ("MarkupSafe", "BSD-3-Clause"),
    "pydantic": ("pydantic", "MIT"),
    "pydantic-core": ("pydantic-core", "MIT"),
    "annotated-types": ("annotated-types", "MIT"),
    "typing-extensions": ("typing_extensions", "PSF-2.0"),
    "typing-inspection": ("typing-inspection", "MIT"),
    "PyYAML": ("PyYAML", "MIT"),
    "openpyxl": ("openpyxl", "MIT"),
    "et-xmlfile": ("et-xmlfile", "MIT"),
    # The server client: the PostgreSQL driver (with libpq and its libraries, see
    # PSYCOPG_BINARY_LIBS) and the keychain (keyring; on Linux SecretStorage over jeepney,
    # with cryptography's ciphers).
    "psycopg": ("psycopg", "LGPL-3.0-only"),
    "psycopg-binary": ("psycopg-binary (with libpq and the libraries it links)", "LGPL-3.0-only"),
    "keyring": ("keyring", "MIT"),
    "jaraco.classes": ("jaraco.classes", "MIT"),
    "jaraco.context": ("jaraco.context", "MIT"),
    "jaraco.functools": ("jaraco.functools", "MIT"),
    "more-itertools": ("more-itertools", "MIT"),
    "importlib-metadata": ("importlib_metadata", "Apache-2.0"),
    "zipp": ("zipp", "MIT"),
    "backports.tarfile": ("backports.tarfile", "MIT"),
    "SecretStorage": ("SecretStorage", "BSD-3-Clause"),
    "jeepney": ("jeepney", "MIT"),
    "cryptography": ("cryptography (with OpenSSL)", "Apache-2.0 OR BSD-3-Clause"),
    "cffi": ("cffi (its C backend)", "MIT-0"),
}
# psycopg-binary's wheel carries libpq and the libraries libpq links (psycopg_binary.libs),
# without their licence texts. Their upstream licences, and the Debian package whose
# copyright file (on the build machine) holds the same upstream texts.
PSYCOPG_BINARY_LIBS: tuple[tuple[str, str, str], ...] = (
    ("libpq (PostgreSQL client library)", "PostgreSQL", "libpq5"),
    ("OpenSSL (libssl, libcrypto)", "Apache-2.0", "libssl3"),
    ("MIT Kerberos (libgssapi_krb5, libkrb5, libk5crypto, libkrb5support)", "MIT", "libkrb5-3"),
    ("OpenLDAP (libldap, liblber)", "OLDAP-2.8", "libldap-2.5-0"),
    ("Cyrus SASL (libsasl2)", "BSD-Attribution-HPND-disclaimer", "libsasl2-2"),
    ("libxcrypt (libcrypt)", "LGPL-2.1-or-later", "libcrypt1"),
    ("keyutils (libkeyutils)", "LGPL-2.1-or-later", "libkeyutils1"),
    ("com_err (libcom_err)", "MIT", "libcom-err2"),
)
DEBIAN_DOCS = Path("/usr/share/doc")
LICENCE_FILE = re.compile(r"(licen[cs]e|copying|notice)", re.IGNORECASE)
QT_NOTE = """\
Qt for Python (PySide6, Shiboken6) and the Qt 6 libraries are used under the GNU Lesser
General Public License version 3 (LGPL-3.0). They are shipped unmodified as separate shared
libraries in this application's folder; you may replace them with your own build of the same
Qt/PySide6 version. Source code: https://code.qt.io/cgit/pyside/pyside-setup.git and
https://code.qt.io/cgit/qt/ . The full LGPL-3.0 text follows, then the GPL-3.0 text it
incorporates by reference.
"""


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _dist_texts(dist: md.Distribution) -> list[tuple[str, str]]:
    texts = []
    for f in dist.files or []:
        parts = f.parts
        if not parts or not parts[0].endswith(".dist-info"):
            continue
        if LICENCE_FILE.search(f.name) and not f.name.endswith(".py"):
            texts.append(
                (str(f), Path(dist.locate_file(f)).read_text(encoding="utf-8", errors="replace"))
            )
    return texts


def _psycopg_binary_libs_text() -> str:
    """The licences of the libraries in psycopg_binary.libs, from Debian's copyright files."""
    parts = ["\n\nLibraries shipped in psycopg_binary.libs and their licences:\n"]
    parts += [f"- {name}: {licence}\n" for name, licence, _ in PSYCOPG_BINARY_LIBS]
    for name, _, package in PSYCOPG_BINARY_LIBS:
        path = DEBIAN_DOCS / package / "copyright"
        if not path.is_file():
            raise SystemExit(
                f"{path} is missing: install the Debian package {package} (its copyright file "
                f"holds the licence of {name})"
            )
        text = path.read_text(encoding="utf-8", errors="replace")
        parts.append(f"\n{'=' * 72}\n{name}\n{'=' * 72}\n\n{text}")
    return "".join(parts)


def _qt_text() -> str:
    parts = [QT_NOTE]
    for name in ("LGPL-3", "GPL-3"):
        path = COMMON_LICENSES / name
        if not path.is_file():
            raise SystemExit(
                f"{path} is missing: install the Debian 'base-files' licences or copy the text"
            )
        parts.append(f"\n{'=' * 72}\n{name}\n{'=' * 72}\n\n{path.read_text(encoding='utf-8')}")
    return "".join(parts)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    index = []
    python_licence = Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt"
    if python_licence.is_file():
        (OUT / "python.txt").write_text(
            python_licence.read_text(encoding="utf-8"), encoding="utf-8"
        )
        index.append(
            {
                "name": "Python",
                "version": sys.version.split()[0],
                "licence": "PSF-2.0",
                "file": "python.txt",
            }
        )
    for dist_name, (shown, licence) in COMPONENTS.items():
        try:
            dist = md.distribution(dist_name)
        except md.PackageNotFoundError:
            print(f"warning: {dist_name} is not installed; skipped", file=sys.stderr)
            continue
        file_name = f"{_slug(dist_name)}.txt"
        header = f"{shown} {dist.version}\nLicence: {licence}\n\n"
        if dist_name in ("PySide6-Essentials", "shiboken6"):
            body = _qt_text()
        else:
            texts = _dist_texts(dist)
            if not texts:
                raise SystemExit(f"{dist_name}: no licence file in its .dist-info")
            body = "\n\n".join(f"--- {src} ---\n\n{text}" for src, text in texts)
            if dist_name == "psycopg-binary":
                body += _psycopg_binary_libs_text()
        (OUT / file_name).write_text(header + body, encoding="utf-8")
        index.append(
            {"name": shown, "version": dist.version, "licence": licence, "file": file_name}
        )
    dejavu = ROOT / "resources" / "fonts" / "LICENSE-DejaVu.txt"
    (OUT / "dejavu-fonts.txt").write_text(dejavu.read_text(encoding="utf-8"), encoding="utf-8")
    index.append(
        {
            "name": "DejaVu fonts",
            "version": "2.35",
            "licence": "Bitstream Vera and Arev fonts licence (free)",
            "file": "dejavu-fonts.txt",
        }
    )
    (OUT / "index.json").write_text(
        json.dumps(index, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"wrote {len(index)} licences to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
