"""File-level helpers for the Linux bundle (used by build/pyinstaller.spec).

- load_segments_aligned: whether the dynamic loader will map a shared library, checked on
  its program headers. Stripping a library that auditwheel's patchelf rewrote can shift a
  loadable segment so that its file offset and address no longer agree modulo the page size
  (numpy's OpenBLAS: "ELF load command address/offset not page-aligned"); such a stripped
  copy is thrown away and the original kept.
- link_duplicates: data files collected twice with the same bytes (the DejaVu fonts, in
  resources/fonts for the app and in matplotlib's mpl-data) become one file and relative
  symbolic links to it.
"""

from __future__ import annotations

import hashlib
import os
import struct
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

PT_LOAD = 1
PAGE = 4096

Entry = tuple[str, str, str]  # PyInstaller TOC entry: (name in the bundle, source, kind)


def load_segments_aligned(path: Path) -> bool:
    """Return True when every loadable segment of a 64-bit little-endian ELF file maps.

    The loader needs p_offset and p_vaddr congruent modulo p_align (and the page size).
    Files that are not ELF64 little-endian are reported aligned (nothing to check here).
    """
    with path.open("rb") as fh:
        header = fh.read(64)
        if header[:4] != b"\x7fELF" or header[4] != 2 or header[5] != 1:
            return True
        phoff = struct.unpack_from("<Q", header, 0x20)[0]
        phentsize, phnum = struct.unpack_from("<HH", header, 0x36)
        fh.seek(phoff)
        table = fh.read(phentsize * phnum)
    if len(table) < phentsize * phnum:
        return False
    for i in range(phnum):
        p_type, _flags, p_offset, p_vaddr, _paddr, _filesz, _memsz, p_align = struct.unpack_from(
            "<IIQQQQQQ", table, i * phentsize
        )
        if p_type != PT_LOAD:
            continue
        align = max(p_align, 1)
        if (p_offset - p_vaddr) % align or (p_offset - p_vaddr) % PAGE:
            return False
    return True


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def link_duplicates(entries: Iterable[Entry], min_size: int = 16 * 1024) -> tuple[list[Entry], int]:
    """Return (entries, bytes saved) with identical DATA files of min_size or more linked.

    The first of a set of identical files (in bundle-name order) stays a file; the others
    become SYMLINK entries pointing at it by a relative path, which PyInstaller creates as
    symbolic links. For POSIX bundles only (Windows folders get no symbolic links).
    """
    entries = list(entries)
    groups: dict[tuple[int, str], list[int]] = {}
    for index, (_dest, src, kind) in enumerate(entries):
        source = Path(src)
        if kind != "DATA" or not source.is_file():
            continue
        size = source.stat().st_size
        if size < min_size:
            continue
        groups.setdefault((size, _digest(source)), []).append(index)
    saved = 0
    for (size, _), indexes in groups.items():
        names = {entries[i][0] for i in indexes}
        if len(names) < 2:
            continue
        ordered = sorted(indexes, key=lambda i: entries[i][0])
        kept = PurePosixPath(entries[ordered[0]][0])
        seen = {str(kept)}
        for i in ordered[1:]:
            dest = entries[i][0]
            if dest in seen:
                continue
            seen.add(dest)
            target = os.path.relpath(kept, PurePosixPath(dest).parent)
            entries[i] = (dest, target, "SYMLINK")
            saved += size
    return entries, saved
