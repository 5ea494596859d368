"""Lengths and areas as planners read them: m below 1 km then km; areas in m², 公顷 and 亩, plus
km² for large ones. Qt-free: the views pass the interface language ("zh" or "en")."""

from __future__ import annotations

M2_PER_HECTARE = 10_000.0
M2_PER_MU = 10_000.0 / 15  # 1 亩 = 1/15 公顷 ≈ 666.67 m² (市亩, the unit of land statistics)
M2_PER_KM2 = 1_000_000.0
KM_FROM_M = 1_000.0  # lengths from this many metres are shown in km

UNIT_NAMES = {  # unit -> (zh, en)
    "m": ("米", "m"),
    "km": ("千米", "km"),
    "m2": ("平方米", "m²"),
    "ha": ("公顷", "ha"),
    "mu": ("亩", "mu"),
    "km2": ("平方千米", "km²"),
}


def unit_name(unit: str, lang: str = "zh") -> str:
    """The unit's name in `lang` (zh or en)."""
    zh, en = UNIT_NAMES[unit]
    return zh if lang == "zh" else en


def _number(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def length_parts(metres: float) -> tuple[float, str]:
    """(value, unit): metres below 1 km, else kilometres."""
    return (metres / KM_FROM_M, "km") if abs(metres) >= KM_FROM_M else (metres, "m")


def format_length(metres: float, lang: str = "zh") -> str:
    """'850.3 米' / '12.345 km': one decimal in m, metre precision in km."""
    value, unit = length_parts(metres)
    return f"{_number(value, 1 if unit == 'm' else 3)} {unit_name(unit, lang)}"


def area_parts(m2: float) -> list[tuple[float, str]]:
    """The area in every unit planners read: m², 公顷, 亩, and km² from 1 km² on."""
    parts = [(m2, "m2"), (m2 / M2_PER_HECTARE, "ha"), (m2 / M2_PER_MU, "mu")]
    if abs(m2) >= M2_PER_KM2:
        parts.append((m2 / M2_PER_KM2, "km2"))
    return parts


_AREA_DECIMALS = {"m2": 1, "ha": 4, "mu": 2, "km2": 3}  # all about 1 m² or better below 1 km²


def format_area_unit(m2: float, unit: str, lang: str = "zh") -> str:
    """The area in one unit: '12,345.6 平方米', '1.2346 公顷', '18.52 亩', '1.235 km²'."""
    factor = {"m2": 1.0, "ha": M2_PER_HECTARE, "mu": M2_PER_MU, "km2": M2_PER_KM2}[unit]
    return f"{_number(m2 / factor, _AREA_DECIMALS[unit])} {unit_name(unit, lang)}"


def format_area(m2: float, lang: str = "zh", sep: str = " = ") -> str:
    """Every unit of `area_parts` on one line: '12,345.6 m² = 1.2346 ha = 18.52 mu'."""
    return sep.join(format_area_unit(m2, unit, lang) for _, unit in area_parts(m2))
