"""A feature of a planning layer as the application sees it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from shapely.geometry.base import BaseGeometry


@dataclass(frozen=True)
class Feature:
    """One feature: UUID identity, owner party, attributes, geometry (EPSG:4490 lon/lat)."""

    layer: str
    uuid: str
    owner: str  # party code
    attrs: dict[str, object]
    geometry: BaseGeometry
    created_by: str | None = None
    created_at: str | None = None  # ISO 8601 UTC
    modified_by: str | None = None
    modified_at: str | None = None
    fid: int | None = field(default=None, compare=False)  # local key; never leaves the file


def utc_now() -> str:
    """The current time as ISO 8601 UTC with milliseconds."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
