"""Shapefile attribute columns laid out from the catalogue: DBF field widths, numbers, long text.

A DBF text field holds at most 254 bytes, in the export's encoding. GDAL would silently cut a
longer value (mid-character even), so each layer's text is checked here: a value over 254 bytes
or over the catalogue's length is refused unless the caller asks to truncate it (at a character
boundary) or to split it into FIELD_2, FIELD_3 … columns, and every such value is reported.

Widths: a text field is as wide as the catalogue's length (so codes keep the standard's width,
e.g. BSM 18), wider only when a value needs more bytes in the chosen encoding (Chinese takes
2–3 bytes a character), never over 254. Integers with a catalogue length and the derived
areas/lengths (which the project rounds to 0.01) are written as DBF numbers of that width and
precision. pyogrio takes a field's width only from a fixed-width string dtype, so the fields are
created from empty columns of such dtypes and the data appended; numbers go in as fixed-width
text and the DBF header's field types are set to N afterwards (the record bytes are the same).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from app.errors import InvalidInput
from app.messages import localize
from app.model.catalogue import Layer

DBF_TEXT_BYTES = 254  # the largest DBF character field
DBF_NAME_BYTES = 10  # the longest DBF field name
DERIVED_WIDTH, DERIVED_DECIMALS = 15, 2  # areas (m²) and lengths (m), rounded to 0.01
SHOWN = 5  # offending values quoted in a refusal message
MODES = ("refuse", "truncate", "split")


@dataclass(frozen=True)
class LongText:
    """A text value too long for its Shapefile field, and what was done with it."""

    layer: str
    uuid: str
    bsm: str | None
    field: str
    chars: int  # length in characters
    size: str  # bytes in the export's encoding, e.g. "300 bytes in utf-8"
    limit: str  # the limit exceeded, e.g. "a Shapefile field holds 254"
    action: str = ""  # "" when refused; "cut to …" or "split into BZ, BZ_2"

    def text(self, lang: str = "en") -> str:
        """'GHYDYH.BZ of feature BSM x (uuid y) is 100 characters, 300 bytes in utf-8, a
        Shapefile field holds 254[: action]', in `lang` (zh through the message catalogue)."""
        who = f"BSM {self.bsm} (uuid {self.uuid})" if self.bsm else f"uuid {self.uuid}"
        done = f": {self.action}" if self.action else ""
        text = (f"{self.layer}.{self.field} of feature {who} is {self.chars} characters, "
                f"{self.size}, {self.limit}{done}")
        return localize(text, lang) if lang == "zh" else text


class TextTooLong(InvalidInput):
    """Text that does not fit a Shapefile field; `problems` lists every value (LongText)."""

    def __init__(self, message: str, problems: list[LongText]) -> None:
        super().__init__(message)
        self.problems = problems


@dataclass
class Columns:
    """A layer's attribute columns ready for the Shapefile driver."""

    names: list[str]
    columns: list[np.ndarray]
    masks: list[np.ndarray | None]
    widths: dict[str, int] = field(default_factory=dict)  # DBF field widths (bytes)
    numbers: dict[str, int] = field(default_factory=dict)  # DBF N fields: name -> decimals
    changed: list[LongText] = field(default_factory=list)

    def schema(self) -> list[np.ndarray]:
        """Empty columns whose dtypes make pyogrio create the fields at their widths (the data
        then goes in as objects: fixed-width arrays of 254 characters would take 1 KB a value)."""
        return [np.array([], dtype=f"U{self.widths[n]}" if n in self.widths else c.dtype)
                for n, c in zip(self.names, self.columns, strict=True)]


def check_names(layer: Layer) -> None:
    """Refuse field names a DBF cannot hold (GDAL would shorten them silently)."""
    long = [f.name for f in layer.fields if len(f.name.encode()) > DBF_NAME_BYTES]
    if long:
        raise InvalidInput(f"{layer.code}: field name(s) {', '.join(long)} are longer than "
                           f"{DBF_NAME_BYTES} characters, the Shapefile limit; export to GeoPackage")


def shapefile_columns(layer: Layer, names: list[str], columns: list[np.ndarray], codec: str,
                      mode: str = "refuse") -> Columns:
    """The columns laid out for a DBF; long text refused (TextTooLong) or changed by `mode`."""
    check_names(layer)
    fields = {f.name: f for f in layer.fields}
    uuids = columns[names.index("uuid")].tolist()
    bsm = columns[names.index("BSM")].tolist() if "BSM" in names else [None] * len(uuids)
    out = Columns([], [], [])
    problems: list[LongText] = []
    for name, values in zip(names, columns, strict=True):
        f = fields.get(name)
        if f is not None and f.type != "text":
            _number(out, name, values, f.length, f.derived is not None)
            continue
        if values.dtype != object or np.ma.isMaskedArray(values):
            _add(out, name, values, None)
            continue
        limit, texts = (f.length if f is not None else None), values.tolist()
        sizes = _sizes(texts, codec)
        long = {row: LongText(layer.code, str(uuids[row]), bsm[row], name, len(texts[row]),
                              f"{sizes[row]} bytes in {codec}", over)
                for row, over in _over(texts, sizes, limit).items()}
        problems += long.values()
        if mode == "split" and long:
            _split(out, name, texts, limit, codec, long, set(names))
            continue
        if mode == "truncate":
            texts = [_fits(v, limit, codec) if row in long else v for row, v in enumerate(texts)]
            sizes = _sizes(texts, codec)
            out.changed += [_with(p, f"cut to {len(texts[row])} characters, {sizes[row]} bytes")
                            for row, p in long.items()]
        _text(out, name, texts, sizes, limit)
    if problems and mode not in ("truncate", "split"):
        raise _refusal(problems)
    return out


def _sizes(texts: list, codec: str) -> list[int]:
    """Each value's bytes in `codec` (0 for null), each distinct value encoded once."""
    size = {v: len(v) if v.isascii() else len(v.encode(codec))
            for v in dict.fromkeys(texts) if v is not None}
    return [0 if v is None else size[v] for v in texts]


def _over(texts: list, sizes: list[int], limit: int | None) -> dict[int, str]:
    """Row -> the limit its value exceeds, for the values a DBF field cannot hold."""
    too_big = np.asarray(sizes) > DBF_TEXT_BYTES
    chars = np.fromiter((0 if v is None else len(v) for v in texts), dtype=np.int64,
                        count=len(texts))
    too_long = chars > limit if limit else np.zeros(len(texts), dtype=bool)
    return {int(row): f"a Shapefile field holds {DBF_TEXT_BYTES}" if too_big[row] else
            f"the catalogue allows {limit} characters"
            for row in np.flatnonzero(too_big | too_long)}


def _refusal(problems: list[LongText]) -> TextTooLong:
    shown = "; ".join(p.text() for p in problems[:SHOWN])
    more = f"; ... and {len(problems) - SHOWN} more" if len(problems) > SHOWN else ""
    return TextTooLong(f"{len(problems)} text value(s) do not fit their Shapefile field: "
                       f"{shown}{more}; --truncate "
                       "cuts them, --split continues them in FIELD_2, FIELD_3 … columns, or "
                       "export to GeoPackage (no limit)", problems)


def _fits(value: str, limit: int | None, codec: str) -> str:
    """The longest start of `value` within `limit` characters and a DBF field's bytes: cut
    between characters, never inside one."""
    value = value[:limit] if limit else value
    size = 0
    for end, char in enumerate(value):
        size += len(char.encode(codec))
        if size > DBF_TEXT_BYTES:
            return value[:end]
    return value


def _with(p: LongText, action: str) -> LongText:
    return LongText(p.layer, p.uuid, p.bsm, p.field, p.chars, p.size, p.limit, action)


def _pieces(value: str, limit: int | None, codec: str) -> list[str]:
    pieces = []
    while value:
        pieces.append(_fits(value, limit, codec))
        value = value[len(pieces[-1]):]
    return pieces


def _split(out: Columns, name: str, texts: list, limit: int | None, codec: str,
           long: dict[int, LongText], taken: set[str]) -> None:
    """`name` and continuation columns NAME_2, NAME_3 … holding the pieces of long values."""
    pieces = [[v] if v is None or row not in long else _pieces(v, limit, codec)
              for row, v in enumerate(texts)]
    count = max(len(p) for p in pieces)
    columns = [name, *(_continuation(name, i, taken) for i in range(2, count + 1))]
    for i, column in enumerate(columns):
        texts = [p[i] if i < len(p) else None for p in pieces]
        _text(out, column, texts, _sizes(texts, codec), limit)
    out.changed += [_with(p, f"split into {', '.join(columns[:len(pieces[row])])}")
                    for row, p in long.items()]


def _continuation(name: str, i: int, taken: set[str]) -> str:
    suffix = f"_{i}"
    column = name[:DBF_NAME_BYTES - len(suffix)] + suffix
    if column in taken:
        raise InvalidInput(f"cannot split {name} into {column}: the layer has a field {column}")
    return column


def _text(out: Columns, name: str, texts: list, sizes: list[int], limit: int | None) -> None:
    """A text column as wide as the catalogue says, or as its longest value needs."""
    out.widths[name] = min(DBF_TEXT_BYTES, max([limit or 1, *sizes]))
    values = np.empty(len(texts), dtype=object)
    values[:] = texts
    _add(out, name, values, np.equal(values, None))  # type: ignore[call-overload]  # numpy compares with None elementwise


def _number(out: Columns, name: str, values: np.ndarray, length: int | None,
            derived: bool) -> None:
    """Integers of a catalogue length and derived measures as fixed-width DBF numbers."""
    if np.ma.isMaskedArray(values) and length:  # integers, masked where null
        decimals, texts = 0, [None if m else str(int(v)) for v, m in
                              zip(values.filled(0), np.ma.getmaskarray(values), strict=True)]
    elif derived and values.dtype.kind == "f":
        decimals = DERIVED_DECIMALS
        texts = [None if np.isnan(v) else f"{v:.{decimals}f}" for v in values.tolist()]
    else:
        _add(out, name, values, None)  # GDAL's own width (no catalogue precision to follow)
        return
    width = max([length or DERIVED_WIDTH, *(len(t) for t in texts if t is not None)])
    # Null numbers are asterisks in a DBF, as GDAL writes them.
    values = np.empty(len(texts), dtype=object)
    values[:] = ["*" * width if t is None else t.rjust(width) for t in texts]
    _add(out, name, values, None)
    out.widths[name], out.numbers[name] = width, decimals


def _add(out: Columns, name: str, values: np.ndarray, mask: np.ndarray | None) -> None:
    if np.ma.isMaskedArray(values):
        values, mask = values.filled(0).astype(np.int64), np.ma.getmaskarray(values)
    out.names.append(name)
    out.columns.append(values)
    out.masks.append(mask)


def set_number_fields(dbf: Path, numbers: dict[str, int]) -> None:
    """Mark fixed-width text fields of a DBF as numbers (type N) with `numbers[name]` decimals."""
    if not numbers:
        return
    with dbf.open("r+b") as f:
        header = bytearray(f.read(32))
        count = (int.from_bytes(header[8:10], "little") - 33) // 32
        fields = bytearray(f.read(32 * count))
        for i in range(count):
            at = 32 * i
            name = fields[at:at + 11].split(b"\0", 1)[0].decode("ascii", "replace")
            if name in numbers:
                fields[at + 11:at + 12] = b"N"
                fields[at + 17] = numbers[name]
        f.seek(32)
        f.write(fields)
