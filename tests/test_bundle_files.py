"""build/bundle_files.py: the stripped-library check and the duplicate-data links of the bundle."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "build"))
from bundle_files import PT_LOAD, link_duplicates, load_segments_aligned  # noqa: E402

sys.path.remove(str(ROOT / "build"))


def _a_shared_library() -> Path:
    """An ELF shared object every Linux Python has: the sqlite3 extension module."""
    import _sqlite3

    return Path(_sqlite3.__file__)


pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF files")


def test_a_real_library_and_its_stripped_copy_are_aligned(tmp_path):
    library = _a_shared_library()
    assert load_segments_aligned(library)
    if shutil.which("strip"):
        copy = tmp_path / library.name
        shutil.copy2(library, copy)
        subprocess.run(["strip", str(copy)], check=True)
        assert load_segments_aligned(copy)


def test_a_segment_moved_off_its_page_is_reported(tmp_path):
    """What stripping numpy's patched OpenBLAS does: a PT_LOAD's offset and address disagree."""
    copy = tmp_path / "shifted.so"
    data = bytearray(_a_shared_library().read_bytes())
    phoff = struct.unpack_from("<Q", data, 0x20)[0]
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    loads = [
        phoff + i * phentsize
        for i in range(phnum)
        if struct.unpack_from("<I", data, phoff + i * phentsize)[0] == PT_LOAD
    ]
    last = loads[-1]
    offset = struct.unpack_from("<Q", data, last + 8)[0]
    struct.pack_into("<Q", data, last + 8, offset + 0x98)
    copy.write_bytes(bytes(data))
    assert not load_segments_aligned(copy)


def test_files_that_are_not_elf_are_left_alone(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not a library")
    assert load_segments_aligned(text)


def test_identical_data_files_become_relative_links(tmp_path):
    font = os.urandom(20_000)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    ours, theirs, other, small1, small2 = (
        tmp_path / "a" / "Font.ttf",
        tmp_path / "b" / "Font.ttf",
        tmp_path / "b" / "Other.ttf",
        tmp_path / "a" / "small.txt",
        tmp_path / "b" / "small.txt",
    )
    ours.write_bytes(font)
    theirs.write_bytes(font)
    other.write_bytes(os.urandom(20_000))
    small1.write_text("same")
    small2.write_text("same")
    entries = [
        ("resources/fonts/Font.ttf", str(ours), "DATA"),
        ("matplotlib/mpl-data/fonts/ttf/Font.ttf", str(theirs), "DATA"),
        ("matplotlib/mpl-data/fonts/ttf/Other.ttf", str(other), "DATA"),
        ("resources/small.txt", str(small1), "DATA"),
        ("matplotlib/small.txt", str(small2), "DATA"),
        ("libfoo.so", str(theirs), "BINARY"),
    ]
    linked, saved = link_duplicates(entries)
    assert saved == 20_000
    # The first by bundle name stays a file; the other points at it, relative to its folder.
    assert linked[1] == ("matplotlib/mpl-data/fonts/ttf/Font.ttf", str(theirs), "DATA")
    assert linked[0] == (
        "resources/fonts/Font.ttf",
        "../../matplotlib/mpl-data/fonts/ttf/Font.ttf",
        "SYMLINK",
    )
    assert linked[2:] == entries[2:]  # different bytes, small files and binaries: unchanged
    # The link resolves to the kept file where PyInstaller creates it.
    bundle = tmp_path / "bundle"
    kept = bundle / linked[1][0]
    kept.parent.mkdir(parents=True)
    shutil.copy2(theirs, kept)
    link = bundle / linked[0][0]
    link.parent.mkdir(parents=True)
    link.symlink_to(linked[0][1])
    assert link.read_bytes() == font
