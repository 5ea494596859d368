"""The text encoding of a source file: where it is declared, strict decoding, garbling caught.

A Shapefile's encoding comes from --encoding, else its .cpg, else the code page in the DBF
header (the language driver id, byte 29, written by ArcGIS and others); other formats are UTF-8
unless --encoding says otherwise. Decoding is strict, and text that decodes without error but
into nonsense (GBK read as Windows-1252: 苏州市 → ËÕÖÝÊÐ) is refused with the likely encoding.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import numpy as np

from app.errors import InvalidInput

SHP = "ESRI Shapefile"
# DBF language driver ids → code pages (the table GDAL's Shapefile driver uses for LDID/n).
LDID_CODE_PAGES = {
    0x01: 437, 0x02: 850, 0x03: 1252, 0x04: 10000, 0x08: 865, 0x09: 437, 0x0A: 850, 0x0B: 437,
    0x0D: 437, 0x0E: 850, 0x0F: 437, 0x10: 850, 0x11: 437, 0x12: 850, 0x13: 932, 0x14: 850,
    0x15: 437, 0x16: 850, 0x17: 865, 0x18: 437, 0x19: 437, 0x1A: 850, 0x1B: 437, 0x1C: 863,
    0x1D: 850, 0x1F: 852, 0x22: 852, 0x23: 852, 0x24: 860, 0x25: 850, 0x26: 866, 0x37: 850,
    0x40: 852, 0x4D: 936, 0x4E: 949, 0x4F: 950, 0x50: 874, 0x57: 1252, 0x58: 1252, 0x59: 1252,
    0x64: 852, 0x65: 866, 0x66: 865, 0x67: 861, 0x6A: 737, 0x6B: 857, 0x78: 950, 0x79: 949,
    0x7A: 936, 0x7B: 932, 0x7C: 874, 0x86: 737, 0x87: 852, 0x88: 857, 0xC8: 1250, 0xC9: 1251,
    0xCA: 1254, 0xCB: 1253, 0xCC: 1257,
}
# Encodings whose text is Chinese-capable: mojibake detection does not apply to them.
CJK_CODECS = {"utf-8", "gbk", "gb18030", "gb2312", "big5", "cp950", "big5hkscs", "cp936",
              "cp932", "shift_jis", "euc_jp", "euc_kr", "cp949", "utf-16", "utf-32"}
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_NOT_CJK = re.compile(r"[^\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def codec_of(path: Path, driver: str, encoding: str | None) -> tuple[str, str]:
    """The Python codec of the file's text, and where that came from (for messages)."""
    if encoding:
        return lookup_codec(encoding, f"--encoding {encoding}"), f"--encoding {encoding} was given"
    if driver != SHP:
        return "utf-8", "no encoding was given"
    cpg = next((p for p in (path.with_suffix(".cpg"), path.with_suffix(".CPG")) if p.is_file()), None)
    if cpg is None:
        return _dbf_code_page(path)
    declared = cpg.read_text(encoding="ascii", errors="replace").strip()
    name = declared.removeprefix("ANSI ").strip()  # "936" and "ANSI 936" are code pages
    return lookup_codec(f"cp{name}" if name.isdigit() else name, cpg.name), f"{cpg.name} says {declared}"


def _dbf_code_page(path: Path) -> tuple[str, str]:
    """The code page in the DBF header's language driver id (byte 29), if it names one."""
    dbf = next((p for p in (path.with_suffix(".dbf"), path.with_suffix(".DBF")) if p.is_file()), None)
    if dbf is None:
        return "utf-8", "no encoding was given"
    with dbf.open("rb") as f:
        header = f.read(32)
    page = LDID_CODE_PAGES.get(header[29]) if len(header) == 32 else None
    if page is None:
        return "utf-8", "no encoding was given"
    return lookup_codec(f"cp{page}", dbf.name), f"the header of {dbf.name} says code page {page}"


def lookup_codec(name: str, origin: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise InvalidInput(f"unknown text encoding {name!r} ({origin}); "
                           "try --encoding GBK, GB18030 or UTF-8") from None


def decode_columns(path: Path, names: list[str], columns: list[np.ndarray], codec: str,
                   origin: str) -> tuple[list[str], list[np.ndarray]]:
    """Field names and text columns read as latin1, decoded strictly with `codec`."""
    decoded = []
    for i, values in enumerate([np.array(names, dtype=object), *columns]):
        if values.dtype != object:
            decoded.append(values)
            continue
        # One C-level decode per column (values joined by NUL, which no encoding here uses).
        present = np.flatnonzero(~np.equal(values, None))  # type: ignore[call-overload]  # numpy compares with None elementwise
        data = "\x00".join(values[present].tolist()).encode("latin1")
        where = f"field {names[i - 1]!r}, row {{}}" if i else "field name {}"
        text = decode_bytes(path, data, codec, origin, where, present)
        decoded.append(values.copy())
        decoded[-1][present] = text.split("\x00") if len(present) else []
    return list(decoded[0]), decoded[1:]


def decode_bytes(path: Path, data: bytes, codec: str, origin: str, where: str = "line {}",
                 rows: np.ndarray | None = None) -> str:
    """`data` decoded strictly; the error names the line (or row) of the first bad byte."""
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        sep = b"\x00" if rows is not None else b"\n"
        index = data.count(sep, 0, exc.start)
        spot = where.replace("{}", str(int(rows[index]) + 1 if rows is not None else index + 1))
        guess = likely_encoding(data)
        hint = (f"it reads as {guess}: give --encoding {guess}" if guess and guess != codec
                else "give the file's encoding, e.g. --encoding GBK" if codec == "utf-8"
                else "check the encoding: GB18030 covers all Chinese text; or UTF-8?")
        raise InvalidInput(f"{path.name}, {spot}: not valid {codec} text ({origin}); {hint}") from None
    # Chinese UTF-8 read as GBK decodes without error into nonsense (上海 → 涓婃捣): refuse.
    # (A lossless round trip through a lenient UTF-8 decode means the bytes are valid UTF-8.)
    if codec != "utf-8" and not data.isascii() and data.decode("utf-8", "replace").encode() == data:
        raise InvalidInput(f"{path.name}: the text is UTF-8 but {origin}; reading it as {codec} "
                           "would garble it: give --encoding UTF-8")
    _refuse_mojibake(path, data, text, codec, origin, where, rows)
    return text


def _refuse_mojibake(path: Path, data: bytes, text: str, codec: str, origin: str, where: str,
                     rows: np.ndarray | None) -> None:
    """Chinese bytes read with a Western code page (1252, latin1, 437…) decode 'fine' into
    accented letters; the planning layers expect Chinese text, so this is refused."""
    if codec in CJK_CODECS or _CJK.search(text) or not _NON_ASCII.search(text):
        return
    guess = likely_encoding(data)
    if guess is None:
        return
    values = text.split("\x00" if rows is not None else "\n")  # column values, or lines
    index, found = next((i, m) for i, v in enumerate(values) if (m := _NON_ASCII.search(v)))
    start = found.start()
    sample = values[index][max(0, start - 4):start + 16]
    spot = where.replace("{}", str(int(rows[index]) + 1 if rows is not None else index + 1))
    raise InvalidInput(f"{path.name}, {spot}: {sample[:20]!r} looks like Chinese text read with "
                       f"the wrong encoding ({origin}); it reads as {guess}: "
                       f"give --encoding {guess}")


def likely_encoding(data: bytes) -> str | None:
    """'UTF-8', 'GBK' or 'GB18030' when `data` decodes strictly with it into Chinese text:
    every non-ASCII character CJK, and for GBK mostly of the common GB2312 set (which keeps
    Western accented text from passing as Chinese)."""
    for name in ("utf-8", "gbk", "gb18030"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        wide = "".join(_NON_ASCII.findall(text))
        if not wide or _NOT_CJK.search(wide):
            continue
        # One C-level encode: characters outside GB2312 become '?' (none of them is ASCII).
        rare = wide.encode("gb2312", errors="replace").count(b"?")
        if name == "utf-8" or rare <= 0.2 * len(wide):
            return {"utf-8": "UTF-8", "gbk": "GBK", "gb18030": "GB18030"}[name]
    return None
