"""Point geometry from a CSV's coordinate columns named by the user (--x X坐标 --y Y坐标).

GDAL's CSV driver only reads decimal numbers from columns it guesses by name; surveyors'
tables hold degrees-minutes-seconds (120°35′12.5″E, 31 18 25.3) under any header. The values
are parsed here, and an unreadable one names its line.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import shapely

from app.errors import InvalidInput
from app.model.dms import parse_coordinate

# GDAL's CSV driver takes the geometry from these columns (names compared case-insensitively).
GUESSED = {"X_POSSIBLE_NAMES": "lon,lng,long,longitude,x,经度",
           "Y_POSSIBLE_NAMES": "lat,latitude,y,纬度",
           "GEOM_POSSIBLE_NAMES": "WKT,geometry,geom", "KEEP_GEOM_COLUMNS": "NO"}


def open_options(named: str | None) -> dict[str, str]:
    """GDAL CSV options: its own guesses unless the user named the columns."""
    return {} if named else GUESSED


def points(path: Path, names: list[str], columns: list[np.ndarray], fids: np.ndarray | None,
           x: str | None, y: str | None) -> tuple[np.ndarray, list[str], list[np.ndarray]]:
    """Point WKB from columns `x` and `y`; the remaining names and columns."""
    if not (x and y):
        raise InvalidInput("give both --x and --y (the CSV columns of the coordinates)")
    ix, iy = (_column(path, names, name, flag) for name, flag in ((x, "--x"), (y, "--y")))
    if ix == iy:
        raise InvalidInput(f"--x and --y name the same column {names[ix]!r}")
    lines = (np.asarray(fids) + 1 if fids is not None else np.arange(len(columns[0])) + 2)
    xs = _values(path, names[ix], columns[ix], lines)
    ys = _values(path, names[iy], columns[iy], lines)
    _refuse_surveyors_axes(path, names[ix], names[iy], xs, ys)
    keep = [i for i in range(len(names)) if i not in (ix, iy)]
    wkb = shapely.to_wkb(shapely.points(xs, ys))
    return wkb, [names[i] for i in keep], [columns[i] for i in keep]


def _column(path: Path, names: list[str], name: str, flag: str) -> int:
    found = ([i for i, n in enumerate(names) if n == name]
             or [i for i, n in enumerate(names) if n.strip().lower() == name.strip().lower()])
    if not found:
        raise InvalidInput(f"{flag} {name}: {path.name} has no column {name!r} "
                           f"(its columns: {', '.join(names)})")
    return found[0]


def _values(path: Path, name: str, column: np.ndarray, lines: np.ndarray) -> np.ndarray:
    try:  # decimal numbers and empty cells: one numpy conversion
        return np.array([np.nan if v in (None, "") else v for v in column.tolist()], dtype=float)
    except ValueError:
        pass
    out = np.empty(len(column))
    for i, value in enumerate(column.tolist()):
        try:
            out[i] = parse_coordinate(str(value)) if value not in (None, "") else np.nan
        except ValueError:
            raise InvalidInput(
                f"{path.name}, line {int(lines[i])}, column {name}: cannot read {value!r} as a "
                "coordinate (decimal, e.g. 120.5868 or 3400123.4, or degrees-minutes-seconds, "
                "e.g. 120°35′12.5″E or 120 35 12.5)") from None
    return out


def _refuse_surveyors_axes(path: Path, x: str, y: str, xs: np.ndarray, ys: np.ndarray) -> None:
    """Chinese surveying calls the northing X and the easting Y: a --x column of northings
    (2,000–6,100 km in China) beside a --y column of eastings (under 1,000 km, or with a zone
    prefix 13–45 million) puts every point in the wrong place."""
    finite = np.isfinite(xs) & np.isfinite(ys)
    if not finite.any():
        return
    xs, ys = xs[finite], ys[finite]
    northings = bool(np.all((xs >= 2e6) & (xs <= 6.1e6)))
    eastings = bool(np.all(((ys >= 0) & (ys < 1e6)) | ((ys >= 13e6) & (ys < 46e6))))
    if northings and eastings:
        raise InvalidInput(f"{path.name}: --x {x} holds northings and --y {y} eastings (surveyors "
                           f"name the northing X): give --x {y} --y {x}")
