"""A feature to write into the sample projects, with a deterministic identity."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from shapely.geometry.base import BaseGeometry

# Fixed namespace: uuid5(NAMESPACE, "LAYER/key") gives the same UUID in every build and in
# every project holding the feature, as replicas of one feature must.
NAMESPACE = uuid.UUID("5c0d4e2a-6b1f-5a8e-9d3c-2f7b8a41c901")
OFFICE = "office"  # party code of the coordinating office
SCHEMATIC = "示意范围 schematic"
SYNTHETIC = "合成示例数据 synthetic sample：非真实规划成果 not real planning data"


@dataclass(frozen=True)
class Seed:
    """One sample feature: layer, stable key, owner party, attributes and geometry."""

    layer: str
    key: str  # unique within the layer; the UUID is derived from it
    owner: str
    attrs: dict
    geom: BaseGeometry  # EPSG:4490
    city: str | None = None  # only this city's project (and the office's) gets it; None: all

    @property
    def uuid(self) -> str:
        return str(uuid.uuid5(NAMESPACE, f"{self.layer}/{self.key}"))


def bsm(city: str, layer_no: int, serial: int) -> str:
    """标识码: city code, two-digit layer number, six-digit serial (14 characters)."""
    return f"{city}{layer_no:02d}{serial:06d}"
