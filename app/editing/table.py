"""Row order of an attribute table: filter by text, sort by a column (Qt-free, testable)."""

from __future__ import annotations

from app.model.feature import Feature

SYSTEM = ("owner",)


def matches(feature: Feature, needle: str) -> bool:
    """True when `needle` occurs (case-insensitive) in any attribute or the owner."""
    if not needle:
        return True
    needle = needle.lower()
    return needle in feature.owner.lower() or any(
        v is not None and needle in str(v).lower() for v in feature.attrs.values())


def _key(feature: Feature, column: str):
    value = feature.owner if column == "owner" else feature.attrs.get(column)
    # None sorts first; mixed types compare by text rather than fail
    return (value is not None, value if isinstance(value, int | float) else 0, str(value or ""))


def order(features: list[Feature], needle: str = "", column: str | None = None,
          descending: bool = False) -> list[str]:
    """Uuids of the matching features, sorted by `column` (load order when None)."""
    rows = [f for f in features if matches(f, needle)]
    if column is not None:
        rows.sort(key=lambda f: _key(f, column), reverse=descending)
    return [f.uuid for f in rows]
