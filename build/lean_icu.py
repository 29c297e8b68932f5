"""A smaller ICU data library for the Linux bundle (used by build/pyinstaller.spec).

PySide6's Linux wheels link QtCore against ICU 73, whose data library (libicudata.so.73,
32 MB: the largest file in the bundle) holds the data of every locale, collation,
transliterator, character-set converter, dictionary and display name ICU knows. Qt uses
ICU for only a few things: collation (QCollator: sorting in file dialogs), character-set
converters (QStringConverter for encodings other than UTF and Latin-1), time-zone ids and
names (QTimeZone), and locale case mapping (QLocale::toUpper, which needs no data). Its own
locale data (number and date formats, names) is built into QtCore, and text layout uses
HarfBuzz and Qt's own Unicode tables, not ICU.

So the library is rebuilt holding: root and English collation, every single-byte
converter (Windows-125x, ISO-8859-x, KOI8 and the like) with the alias table, the time-zone
tables with English names, the root and English locales, and every supplemental table,
normalisation and property file. Left out: the other locales' data and names, CJK and
multi-byte converters, the word-break dictionaries, transliteration and spell-out rules,
unit and currency names. A locale left out falls back to root (ICU's own fallback); an
encoding left out is reported unknown by Qt.

The rebuilt library exports the same symbol (icudt73_dat) under the same soname, so QtCore
loads it unchanged; it is made with the GNU assembler and linker (binutils, which the strip
step already needs). The ICU common-data format: a data header, then a table of contents
(count, then name and data offsets relative to the table), names, and 16-byte aligned items.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

MAGIC = b"\xda\x27"
ALIGN = 16
PAD = b"\xaa"  # what ICU's own packager fills the gaps with

# Item names relative to the package folder ("icudt73l/"): what Qt's ICU calls can use.
_DROPPED_TREES = ("brkitr/", "translit/", "rbnf/", "unit/", "curr/", "lang/", "region/")
_KEPT_LOCALE = re.compile(r"(root|en(_[A-Za-z0-9]+)*|pool|res_index)\.res$")
_LOCALE_NAME = re.compile(r"[a-z]{2,3}(_[A-Za-z0-9]+)*\.res$")


# -- the ICU common data format -------------------------------------------------------------


def parse_common_data(blob: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """Return (header, [(name, item bytes)]) of an ICU common data package (.dat)."""
    if len(blob) < 32 or blob[2:4] != MAGIC:
        raise ValueError("not ICU common data (bad magic)")
    header_size = struct.unpack_from("<H", blob, 0)[0]
    if blob[12:16] != b"CmnD" or blob[8] != 0:  # UDataInfo: dataFormat, isBigEndian
        raise ValueError("not little-endian ICU common data (CmnD)")
    toc = blob[header_size:]
    count = struct.unpack_from("<I", toc, 0)[0]
    entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_offset, data_offset) in enumerate(entries):
        name = toc[name_offset : toc.index(b"\0", name_offset)].decode("ascii")
        end = entries[i + 1][1] if i + 1 < count else len(toc)
        items.append((name, toc[data_offset:end]))
    return blob[:header_size], items


def build_common_data(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """Return an ICU common data package with these items (names sorted, as ICU searches)."""
    items = sorted(items, key=lambda item: item[0].encode("ascii"))
    count = len(items)
    names = b""
    name_offsets = []
    table_size = 4 + 8 * count
    for name, _ in items:
        name_offsets.append(table_size + len(names))
        names += name.encode("ascii") + b"\0"
    offset = _aligned(table_size + len(names))
    body = bytearray()
    data_offsets = []
    for _, data in items:
        data_offsets.append(offset + len(body))
        body += data
        body += PAD * (_aligned(len(body)) - len(body))
    toc = bytearray(struct.pack("<I", count))
    for name_offset, data_offset in zip(name_offsets, data_offsets, strict=True):
        toc += struct.pack("<II", name_offset, data_offset)
    toc += names
    toc += PAD * (offset - len(toc))
    return bytes(header) + bytes(toc) + bytes(body)


def _aligned(n: int) -> int:
    return (n + ALIGN - 1) // ALIGN * ALIGN


def _single_byte_converter(data: bytes) -> bool:
    """Return True for a .cnv whose characters are one byte each (UConverterStaticData)."""
    header_size = struct.unpack_from("<H", data, 0)[0]
    # structSize (4), name[60], codepage (4), platform, conversionType, minBytes, maxBytes
    return len(data) > header_size + 72 and data[header_size + 71] == 1


def keep_item(name: str, data: bytes) -> bool:
    """Return True for an ICU data item the lean library keeps (see the module docstring)."""
    _, _, rel = name.partition("/")
    if rel.startswith(_DROPPED_TREES):
        return False
    if rel.startswith(("coll/", "zone/")):
        leaf = rel.split("/", 1)[1]
        return leaf == "ucadata.icu" or bool(_KEPT_LOCALE.fullmatch(leaf))
    if "/" in rel:  # any other tree (none in ICU 73): keep
        return True
    if rel.endswith(".cnv"):
        return _single_byte_converter(data)
    if _LOCALE_NAME.fullmatch(rel):
        return bool(_KEPT_LOCALE.fullmatch(rel))
    return True  # supplemental tables, properties, normalisation, the alias table


def lean_common_data(blob: bytes, keep: Callable[[str, bytes], bool] = keep_item) -> bytes:
    """Return the common data package with only the items keep() accepts."""
    header, items = parse_common_data(blob)
    return build_common_data(header, [(n, d) for n, d in items if keep(n, d)])


# -- the shared library around it -------------------------------------------------------------


def _elf_sections(elf: bytes) -> dict[str, tuple[int, int, int]]:
    """Return {name: (address, file offset, size)} of a little-endian ELF64 file."""
    if elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        raise ValueError("not a little-endian 64-bit ELF file")
    shoff = struct.unpack_from("<Q", elf, 0x28)[0]
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 0x3A)
    headers = [struct.unpack_from("<IIQQQQ", elf, shoff + i * shentsize) for i in range(shnum)]
    strtab_offset = headers[shstrndx][4]
    out = {}
    for name_index, _type, _flags, address, offset, size in headers:
        start = strtab_offset + name_index
        out[elf[start : elf.index(b"\0", start)].decode()] = (address, offset, size)
    return out


def read_data_library(path: Path) -> tuple[str, str, bytes]:
    """Return (symbol, soname, common data) of an ICU data library such as libicudata.so.73."""
    elf = path.read_bytes()
    sections = _elf_sections(elf)
    _, symtab_offset, symtab_size = sections[".dynsym"]
    _, strtab_offset, _ = sections[".dynstr"]
    for i in range(symtab_size // 24):
        name_index, _info, _other, _shndx, value, size = struct.unpack_from(
            "<IBBHQQ", elf, symtab_offset + 24 * i
        )
        start = strtab_offset + name_index
        name = elf[start : elf.index(b"\0", start)].decode()
        if re.fullmatch(r"icudt\d+_dat", name):
            for address, offset, section_size in sections.values():
                if address and address <= value < address + section_size:
                    start = offset + value - address
                    return name, _soname(elf, sections) or path.name, elf[start : start + size]
    raise ValueError(f"{path}: no icudt*_dat symbol")


def _soname(elf: bytes, sections: dict[str, tuple[int, int, int]]) -> str | None:
    _, dynamic_offset, dynamic_size = sections[".dynamic"]
    _, strtab_offset, _ = sections[".dynstr"]
    for i in range(dynamic_size // 16):
        tag, value = struct.unpack_from("<qQ", elf, dynamic_offset + 16 * i)
        if tag == 14:  # DT_SONAME
            start = strtab_offset + value
            return elf[start : elf.index(b"\0", start)].decode()
    return None


def write_data_library(symbol: str, soname: str, data: bytes, target: Path) -> Path:
    """Write a shared library exporting data as `symbol` (ICU's data entry point)."""
    assembler, linker = shutil.which("as"), shutil.which("ld")
    if not assembler or not linker:
        raise FileNotFoundError("the GNU assembler and linker (binutils) are needed")
    work = target.parent
    work.mkdir(parents=True, exist_ok=True)
    (work / "icudata.bin").write_bytes(data)
    (work / "icudata.s").write_text(
        "\t.section .rodata\n"
        f"\t.globl {symbol}\n"
        f"\t.type {symbol}, @object\n"
        f"\t.balign {ALIGN}\n"
        f"{symbol}:\n"
        '\t.incbin "icudata.bin"\n'
        f"\t.size {symbol}, . - {symbol}\n"
        '\t.section .note.GNU-stack,"",@progbits\n',
        encoding="ascii",
    )
    subprocess.run([assembler, "-o", "icudata.o", "icudata.s"], cwd=work, check=True)
    subprocess.run(
        [linker, "-shared", "-soname", soname, "-z", "noexecstack", "-o", target.name, "icudata.o"],
        cwd=work,
        check=True,
    )
    return target


def lean_data_library(source: Path, target: Path) -> tuple[int, int]:
    """Write a lean copy of the ICU data library source to target; return (before, after) size."""
    symbol, soname, data = read_data_library(source)
    write_data_library(symbol, soname, lean_common_data(data), target)
    return source.stat().st_size, target.stat().st_size
