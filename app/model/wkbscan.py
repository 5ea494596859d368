"""Bounds on WKB read before GEOS parses it: framing, counts, size and nesting.

GEOS reads nested collections recursively and trusts the counts in the bytes: a few hundred
kilobytes of nested GeometryCollection headers overflow its stack and kill the process, and a
count of four billion makes it allocate before it notices the bytes are missing. `scan_wkb`
walks the same bytes with an explicit stack, checks every count against the bytes that are
left before using it, and skips coordinates without reading them, so its cost grows with the
number of headers and rings, never with the numbers written in them.

Accepted: ISO WKB (type codes 1-7, +1000 Z, +2000 M, +3000 ZM) and PostGIS EWKB (flags
0x80000000 Z, 0x40000000 M, 0x20000000 SRID followed by the 4-byte SRID).
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

from app.errors import InvalidInput

TYPES = {1: "Point", 2: "LineString", 3: "Polygon", 4: "MultiPoint", 5: "MultiLineString",
         6: "MultiPolygon", 7: "GeometryCollection"}
MEMBER = {4: 1, 5: 2, 6: 3}  # the only member type each Multi* may hold
COLLECTION = 7
EWKB_Z, EWKB_M, EWKB_SRID = 0x80000000, 0x40000000, 0x20000000
HEADER = 5  # byte order + type code
MIN_MEMBER = HEADER + 4  # the smallest member: an empty line, polygon or collection
HEX = re.compile("[0-9A-Fa-f]*")


class WkbError(InvalidInput):
    """WKB that is malformed, or larger or deeper than the limits allow."""


@dataclass(frozen=True)
class WkbInfo:
    """What a scan found in a geometry that passed it."""

    geom_type: str  # "Point" … "GeometryCollection" (the outer geometry)
    dims: int  # 2 (XY), 3 (XYZ or XYM) or 4 (XYZM)
    vertices: int  # coordinate tuples in every part
    parts: int  # polygon rings plus collection members
    srid: int | None = None  # from an EWKB header, else None


@dataclass(frozen=True)
class _Header:
    code: int  # 1-7
    dims: int
    endian: str  # struct prefix, "<" or ">"
    srid: int | None
    at: int  # byte offset, for messages


@dataclass
class _Frame:
    """A collection whose members are still to be read."""

    parent: _Header
    left: int  # members not read yet
    depth: int  # collections around the members, this one included


class _Scan:
    """One pass over `data`: a read position, running totals and the limits."""

    def __init__(self, data: bytes, max_vertices: int, max_parts: int, max_depth: int):
        self.data, self.pos = data, 0
        self.max_vertices, self.max_parts, self.max_depth = max_vertices, max_parts, max_depth
        self.vertices = self.parts = 0

    def take(self, size: int, what: str) -> int:
        """Advance over `size` bytes and return where they start."""
        if size > len(self.data) - self.pos:
            raise WkbError(f"WKB is truncated: {what} at byte {self.pos} needs {size} bytes, "
                           f"{len(self.data) - self.pos} left")
        start, self.pos = self.pos, self.pos + size
        return start

    def uint(self, endian: str, what: str) -> int:
        return struct.unpack_from(endian + "I", self.data, self.take(4, what))[0]

    def header(self) -> _Header:
        at = self.take(HEADER, "a geometry header")
        order = self.data[at]
        if order not in (0, 1):
            raise WkbError(f"WKB byte order at byte {at} must be 0 or 1, not {order}")
        endian = "<" if order == 1 else ">"
        raw = struct.unpack_from(endian + "I", self.data, at + 1)[0]
        code, dims = _type_code(raw, at)
        srid = None
        if raw & EWKB_SRID:
            srid = struct.unpack_from(endian + "i", self.data, self.take(4, "an SRID"))[0]
        return _Header(code, dims, endian, srid, at)

    def count(self, h: _Header, each: int, what: str) -> int:
        """A count of items of at least `each` bytes, refused if they cannot fit in the rest."""
        n = self.uint(h.endian, f"a {what} count")
        left = len(self.data) - self.pos
        if n * each > left:  # checked before any loop: a 4-billion count costs nothing
            raise WkbError(f"WKB is truncated: {TYPES[h.code]} at byte {h.at} claims {n:,} "
                           f"{what}s, which cannot fit in the {left:,} bytes left")
        return n

    def add_vertices(self, n: int) -> None:
        self.vertices += n
        if self.vertices > self.max_vertices:
            raise WkbError(f"geometry has more than {self.max_vertices:,} vertices")

    def add_parts(self, n: int) -> None:
        self.parts += n
        if self.parts > self.max_parts:
            raise WkbError(f"geometry has more than {self.max_parts:,} rings and members")

    def points(self, h: _Header) -> None:
        size = 8 * h.dims
        n = self.count(h, size, "point")
        self.add_vertices(n)
        self.take(n * size, "coordinates")

    def body(self, h: _Header, depth: int) -> _Frame | None:
        """Read a simple geometry whole; for a collection, its count (members come later).

        `depth` is the number of collections around `h`."""
        if h.code == 1:
            self.add_vertices(1)
            self.take(8 * h.dims, "a point's coordinates")
        elif h.code == 2:
            self.points(h)
        elif h.code == 3:
            rings = self.count(h, 4, "ring")
            self.add_parts(rings)
            for _ in range(rings):
                self.points(h)
        else:
            if depth + 1 > self.max_depth:  # a collection is a level even when empty
                raise WkbError(f"{TYPES[h.code]} at byte {h.at} nests collections more than "
                               f"{self.max_depth} deep")
            each = HEADER + 8 * h.dims if h.code == 4 else MIN_MEMBER
            n = self.count(h, each, "member")
            self.add_parts(n)
            return _Frame(h, n, depth + 1)
        return None

    def member(self, frame: _Frame) -> _Header:
        """The next member's header, refused if it does not belong in `frame`'s collection."""
        h, parent = self.header(), frame.parent
        if h.code == COLLECTION:
            raise WkbError(f"GeometryCollection at byte {h.at} is inside another collection; "
                           "nested collections are not accepted")
        expected = MEMBER.get(parent.code)
        if expected is not None and h.code != expected:
            raise WkbError(f"{TYPES[parent.code]} at byte {parent.at} holds a {TYPES[h.code]} "
                           f"at byte {h.at}; only {TYPES[expected]} members are allowed")
        if h.dims != parent.dims:
            raise WkbError(f"{TYPES[h.code]} at byte {h.at} has {h.dims} dimensions inside a "
                           f"collection of {parent.dims}")
        return h


def _type_code(raw: int, at: int) -> tuple[int, int]:
    """(base type 1-7, dimensions) of an ISO or EWKB type word."""
    flags, iso = raw & (EWKB_Z | EWKB_M), raw & ~(EWKB_Z | EWKB_M | EWKB_SRID)
    code, range_ = iso % 1000, iso // 1000
    if code not in TYPES or range_ > 3 or (flags and range_):
        raise WkbError(f"unknown WKB geometry type code {raw:#x} at byte {at}")
    z = bool(flags & EWKB_Z) or range_ in (1, 3)
    m = bool(flags & EWKB_M) or range_ in (2, 3)
    return code, 2 + z + m


def scan_wkb(data: bytes, *, max_vertices: int = 200_000, max_parts: int = 100_000,
             max_depth: int = 2) -> WkbInfo:
    """Check WKB `data` without decoding it; WkbError says what is wrong or too big."""
    scan = _Scan(bytes(data), max_vertices, max_parts, max_depth)
    top = scan.header()
    stack = [frame] if (frame := scan.body(top, 0)) else []
    while stack:  # iterative, so no input can exhaust Python's stack either
        frame = stack[-1]
        if frame.left == 0:
            stack.pop()
            continue
        frame.left -= 1
        if inner := scan.body(scan.member(frame), frame.depth):
            stack.append(inner)
    if scan.pos != len(scan.data):
        raise WkbError(f"WKB has {len(scan.data) - scan.pos:,} trailing bytes after the "
                       f"geometry (ends at byte {scan.pos})")
    return WkbInfo(TYPES[top.code], top.dims, scan.vertices, scan.parts, top.srid)


def hex_bytes(text: str) -> bytes:
    """The bytes of hex WKB text; WkbError for other characters or an odd length."""
    if not isinstance(text, str) or not HEX.fullmatch(text):
        raise WkbError("geometry must be hex WKB (characters 0-9 and a-f only)")
    if len(text) % 2:
        raise WkbError("hex WKB has an odd number of characters")
    return bytes.fromhex(text)


def scan_hex(text: str, **limits: int) -> WkbInfo:
    """`scan_wkb` of hex WKB text (same limits as keywords)."""
    return scan_wkb(hex_bytes(text), **limits)
