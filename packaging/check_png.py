"""Exit 0 when a PNG screenshot shows something: many colours, no colour covering almost all.

Standard library only, so the bundle's smoke test (scripts/smoke-bundle.sh) needs nothing
but a system python3. Usage: python3 packaging/check_png.py FILE [MIN_COLOURS]
"""

from __future__ import annotations

import struct
import sys
import zlib
from collections import Counter

CHANNELS = {2: 3, 6: 4}  # colour type -> bytes per pixel (8-bit RGB, RGBA)


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def _unfilter(kind: int, row: bytearray, prev: bytes, bpp: int) -> bytearray:
    if kind == 1:
        for i in range(bpp, len(row)):
            row[i] = (row[i] + row[i - bpp]) & 0xFF
    elif kind == 2:
        row = bytearray((x + y) & 0xFF for x, y in zip(row, prev, strict=True))
    elif kind == 3:
        for i in range(len(row)):
            left = row[i - bpp] if i >= bpp else 0
            row[i] = (row[i] + ((left + prev[i]) >> 1)) & 0xFF
    elif kind == 4:
        for i in range(len(row)):
            left, upleft = (row[i - bpp], prev[i - bpp]) if i >= bpp else (0, 0)
            row[i] = (row[i] + _paeth(left, prev[i], upleft)) & 0xFF
    return row


def pixels(path: str) -> tuple[int, int, Counter]:
    """(width, height, colour counts) of an 8-bit RGB(A) non-interlaced PNG."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in CHANNELS or interlace:
        raise ValueError(f"unsupported PNG (depth {depth}, colour type {colour})")
    bpp, raw = CHANNELS[colour], zlib.decompress(idat)
    stride, prev, counts = width * CHANNELS[colour], bytes(width * bpp), Counter()
    for y in range(height):
        start = y * (stride + 1)
        row = _unfilter(raw[start], bytearray(raw[start + 1:start + 1 + stride]), prev, bpp)
        counts.update(bytes(row[i:i + 3]) for i in range(0, stride, bpp * 4))  # every 4th pixel
        prev = bytes(row)
    return width, height, counts


def main(argv: list[str]) -> int:
    minimum = int(argv[2]) if len(argv) > 2 else 50
    width, height, counts = pixels(argv[1])
    top = counts.most_common(1)[0][1] / sum(counts.values())
    print(f"{argv[1]}: {width}x{height}, {len(counts)} colours, commonest {top:.0%}")
    return 0 if len(counts) >= minimum and top < 0.95 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
