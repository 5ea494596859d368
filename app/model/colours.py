"""Colour tables: the standard fill colour of each class of a classification, e.g. the 2023
用地用海 classes or the 规划分区 zones, and which layers are drawn by which field.

A table is data (`schemas/colours/*.json`, format `coplan.colours/v1`) with a provenance and a
verification status per entry; this module turns it into frozen objects and answers "which
colour for this value". A code without an entry takes its parent's colour (070102 -> 0701 -> 07).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.errors import ProjectError

FORMAT = "coplan.colours/v1"


@dataclass(frozen=True)
class ColourEntry:
    """One class and its colour."""

    value: str  # what the layer's field holds: a code (0701) or a zone name (生态保护区)
    name_zh: str
    name_en: str
    color: str  # #RRGGBB
    status: str = "R"  # V verified, S seen in third-party sources, R unverified recall
    note: str | None = None
    parent: str | None = None  # the value of the enclosing class

    def name(self, lang: str = "zh") -> str:
        return self.name_zh if lang == "zh" else self.name_en


@dataclass(frozen=True)
class ColourTable:
    """Colours of one classification and the layers (and fields) they style."""

    key: str
    name_zh: str
    name_en: str
    match: str  # code: unknown codes fall back to their parent code; name: exact match only
    layers: dict[str, str]  # layer code -> field
    entries: tuple[ColourEntry, ...]
    fill_opacity: float = 1.0
    codelist: str | None = None  # catalogue code list naming the values
    provenance: str = ""
    status: str = "R"
    _by_value: dict[str, ColourEntry] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_value", {e.value: e for e in self.entries})

    def field(self, layer: str) -> str | None:
        """The field that styles `layer`, or None when this table does not style it."""
        return self.layers.get(layer)

    def entry(self, value: object) -> ColourEntry | None:
        """The entry colouring `value` (its own, else its nearest coloured parent code)."""
        if value is None:
            return None
        text = str(value).strip()
        found = self._by_value.get(text)
        if found is None and self.match == "code":
            # 2023 codes: 2, 4 or 6 digits, a child starts with its parent's code.
            while found is None and len(text) > 2:
                text = text[:-2]
                found = self._by_value.get(text)
        return found

    def exact(self, value: str) -> ColourEntry | None:
        """The entry of `value` itself (no parent fallback)."""
        return self._by_value.get(value)

    def color(self, value: object) -> str | None:
        entry = self.entry(value)
        return entry.color if entry else None


def parse_colour_table(data: dict) -> ColourTable:
    """Build a ColourTable from its JSON form."""
    if data.get("format") != FORMAT:
        raise ProjectError(f"not a colour table of format {FORMAT}: {data.get('format')!r}")
    entries = tuple(
        ColourEntry(e["value"], e["name_zh"], e["name_en"], e["color"].upper(), e.get("status", "R"),
                    e.get("note"), e.get("parent"))
        for e in data["entries"])
    return ColourTable(data["key"], data["name_zh"], data["name_en"], data["match"],
                       dict(data["layers"]), entries, float(data.get("fill_opacity", 1.0)),
                       data.get("codelist"), data.get("provenance", ""), data.get("status", "R"))


def table_for(tables: tuple[ColourTable, ...], layer: str) -> ColourTable | None:
    """The first table styling `layer`, if any."""
    return next((t for t in tables if t.field(layer)), None)
