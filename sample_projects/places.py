"""Where the synthetic sample layers are placed: approximate town and landscape points per city.

These coordinates are CoPlan's own approximations from general geography (±several km, not
surveyed, not from an official source). They only anchor synthetic (合成示例) shapes so that
urban boundaries sit on towns and red lines on hills, lake shores and coasts.
"""

from __future__ import annotations

from typing import NamedTuple


class Town(NamedTuple):
    name: str
    lon: float
    lat: float
    radius_km: float  # size of the synthetic urban development boundary around it


class Landscape(NamedTuple):
    name: str
    kind: str  # ecological function (HXLX) of the synthetic red line
    lon: float
    lat: float
    radius_km: float


WATER, BIO, SOIL, COAST = "水源涵养", "生物多样性维护", "水土保持", "海岸生态稳定"

# The first town of each city is its central urban area (中心城区).
TOWNS: dict[str, tuple[Town, ...]] = {
    "310000": (Town("中心城区", 121.47, 31.23, 16), Town("嘉定", 121.25, 31.38, 6),
               Town("松江", 121.22, 31.03, 6), Town("临港", 121.92, 30.91, 6),
               Town("城桥", 121.40, 31.63, 3)),
    "320500": (Town("中心城区", 120.62, 31.31, 11), Town("昆山", 120.98, 31.38, 6),
               Town("常熟", 120.75, 31.65, 5), Town("张家港", 120.55, 31.87, 5),
               Town("太仓", 121.11, 31.45, 4), Town("吴江", 120.64, 31.16, 4)),
    "320200": (Town("中心城区", 120.30, 31.57, 10), Town("江阴", 120.28, 31.90, 6),
               Town("宜兴", 119.82, 31.36, 5)),
    "320400": (Town("中心城区", 119.97, 31.79, 9), Town("溧阳", 119.48, 31.42, 4),
               Town("金坛", 119.57, 31.74, 4)),
    "320600": (Town("中心城区", 120.89, 32.00, 8), Town("如皋", 120.57, 32.37, 4),
               Town("海安", 120.47, 32.53, 4), Town("如东", 121.19, 32.33, 3),
               Town("启东", 121.66, 31.81, 4), Town("海门", 121.18, 31.89, 4)),
    "330200": (Town("中心城区", 121.55, 29.87, 10), Town("余姚", 121.15, 30.04, 5),
               Town("慈溪", 121.27, 30.17, 5), Town("宁海", 121.43, 29.29, 3),
               Town("象山", 121.87, 29.47, 3)),
    "330400": (Town("中心城区", 120.76, 30.75, 7), Town("嘉善", 120.92, 30.84, 3),
               Town("平湖", 121.02, 30.70, 3), Town("海盐", 120.95, 30.52, 3),
               Town("海宁", 120.68, 30.51, 4), Town("桐乡", 120.56, 30.63, 3)),
    "330900": (Town("中心城区", 122.10, 30.02, 3), Town("沈家门", 122.30, 29.95, 2.5),
               Town("岱山", 122.20, 30.25, 2)),
    "330500": (Town("中心城区", 120.09, 30.89, 7), Town("德清", 119.97, 30.54, 3.5),
               Town("长兴", 119.91, 31.03, 4), Town("安吉", 119.68, 30.64, 4)),
}

LANDSCAPES: dict[str, tuple[Landscape, ...]] = {
    "310000": (Landscape("崇明东滩湿地", COAST, 121.93, 31.50, 7),
               Landscape("淀山湖滨湖", WATER, 120.93, 31.10, 5),
               Landscape("佘山", SOIL, 121.19, 31.10, 3),
               Landscape("杭州湾北岸", COAST, 121.35, 30.72, 4)),
    "320500": (Landscape("太湖东岸", BIO, 120.42, 31.18, 6),
               Landscape("阳澄湖", WATER, 120.80, 31.42, 5),
               Landscape("长江沿岸湿地", BIO, 120.85, 31.80, 5),
               Landscape("虞山", SOIL, 120.72, 31.67, 3)),
    "320200": (Landscape("太湖北岸", BIO, 120.15, 31.45, 6),
               Landscape("宜兴南部山区", WATER, 119.75, 31.20, 8),
               Landscape("惠山", SOIL, 120.23, 31.59, 3)),
    "320400": (Landscape("天目湖—南山", WATER, 119.45, 31.25, 7),
               Landscape("长荡湖", WATER, 119.58, 31.62, 5),
               Landscape("滆湖", BIO, 119.80, 31.55, 5),
               Landscape("茅山", SOIL, 119.33, 31.73, 5)),
    "320600": (Landscape("如东沿海滩涂", COAST, 121.15, 32.50, 8),
               Landscape("启东沿海", COAST, 121.80, 31.85, 5),
               Landscape("狼山", SOIL, 120.89, 31.95, 3),
               Landscape("长江沿岸", BIO, 120.60, 32.00, 4)),
    "330200": (Landscape("四明山", WATER, 121.10, 29.78, 9),
               Landscape("宁海山区", SOIL, 121.30, 29.20, 7),
               Landscape("象山港", COAST, 121.65, 29.55, 6),
               Landscape("杭州湾南岸湿地", BIO, 121.15, 30.30, 6)),
    "330400": (Landscape("杭州湾北岸", COAST, 121.00, 30.55, 5),
               Landscape("湘家荡", WATER, 120.85, 30.80, 3),
               Landscape("盐官湿地", BIO, 120.55, 30.40, 4)),
    "330900": (Landscape("普陀山", BIO, 122.39, 30.01, 3),
               Landscape("桃花岛", BIO, 122.28, 29.81, 3),
               Landscape("舟山本岛北部山地", WATER, 122.08, 30.08, 4),
               Landscape("岱山岛", COAST, 122.20, 30.28, 3)),
    "330500": (Landscape("莫干山", WATER, 119.88, 30.60, 6),
               Landscape("天目山北麓", WATER, 119.55, 30.50, 9),
               Landscape("太湖南岸", BIO, 120.15, 30.95, 4),
               Landscape("下渚湖湿地", BIO, 120.03, 30.58, 3)),
}

# Land uses of the synthetic parcels (GHYDYH, 2023 classification) by ring around the
# centre: the core is mostly commercial, the middle residential, the edge industrial.
LAND_USE_RINGS: tuple[tuple[str, ...], ...] = (
    ("0901", "0902", "0902", "0801", "1403", "0803"),
    ("070102", "070102", "070102", "0702", "0804", "0806", "1401", "0901"),
    ("070102", "1001", "1001", "1101", "1402", "0804", "070102", "0805"),
)
