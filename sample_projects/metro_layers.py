"""Layers every sample project shares: cities, Taihu, the metro plan's zones, corridors, projects."""

from __future__ import annotations

import logging

import shapely
from shapely.geometry import LineString, MultiPoint, Point, shape
from shapely.geometry.base import BaseGeometry

from sample_projects.seeds import OFFICE, SCHEMATIC, Seed, bsm
from sample_projects.shapes import area_km2, buffer_km, clip, polygonal, snapped
from sample_projects.sources import Sources

log = logging.getLogger(__name__)

BOUNDARY_NOTE = ("示意边界 schematic boundary：非官方行政区界线，不可用于量算 "
                 "not an official boundary, not for measurement")
# Rough sketches the strategic coordination zones are cut from (lon/lat, buffer km). The real
# zones are not published as geometry: these only place each zone where its name says.
ZONE_SKETCHES: dict[str, tuple[BaseGeometry | None, float, str]] = {
    "Z1": (None, 25, "太湖湖面外扩 25 km（含湖面）"),  # None: Taihu itself
    "Z2": (Point(120.95, 31.12), 30, "淀山湖（约 120.95E 31.12N）周边 30 km"),
    "Z3": (LineString([(120.35, 30.32), (120.95, 30.45), (121.75, 30.58)]), 30,
           "杭州湾轴线两侧 30 km"),
    "Z4": (LineString([(119.85, 32.05), (120.30, 31.95), (120.60, 31.97), (120.95, 31.90),
                       (121.30, 31.72), (121.85, 31.55)]), 25, "长江干流两侧 25 km"),
    "Z5": (LineString([(120.90, 32.75), (121.50, 32.30), (121.95, 31.85), (122.30, 31.00),
                       (122.40, 30.30), (122.10, 29.75), (121.75, 29.20)]), 30, "海岸线两侧 30 km"),
}
# Approximate town positions of the cross-border town circles (CoPlan's approximation, ±3 km)
# and the county-level codes containing them (recalled, unverified).
TOWN_CIRCLES = {
    "安亭—花桥—白鹤": ([(121.16, 31.29), (121.10, 31.30), (121.17, 31.24)],
                   "310114,320583,310118"),
    "枫泾—新浜—嘉善—新埭": ([(121.01, 30.89), (121.07, 30.93), (120.95, 30.83), (121.07, 30.80)],
                      "310116,310117,330421,330482"),
    "东平—海永—启隆": ([(121.47, 31.70), (121.56, 31.76), (121.44, 31.80)],
                   "310151,320614,320681"),
}
# The Qingpu–Wujiang–Jiashan demonstration zone as three discs (centre, radius km) whose
# areas follow the three counties' (~670 + ~1,180 + ~510 km²).
DEMO_ZONE = ((121.05, 31.12, 14.6), (120.63, 30.97, 19.3), (120.90, 30.87, 12.7))
SYSTEM_ACTIONS = {"JT": "S1", "LW": "S2", "ST": "S3", "SZ": "S4", "LD": "S5", "WL": "S6",
                  "CY": "S7", "JZ": "S8"}
STATUS = {"实施中": "在建", "建成/在建(分段)": "在建"}  # source statuses outside the JSZT code list
# Start year, completion year (planned when still 在建) and investment (亿元) of each library
# entry: rounded, recalled or made up for the sample (合成示例), not checked against sources.
PROJECT_YEARS = {"P-JT-001": (2020, 2024, 365.0), "P-JT-002": (2014, 2020, 450.0),
                 "P-JT-003": (2019, 2025, 390.0), "P-JT-004": (2022, 2028, 980.0),
                 "P-JT-005": (2021, 2028, 270.0), "P-JT-006": (2003, 2008, 118.0),
                 "P-LD-001": (2019, 2025, 12.0), "P-ST-001": (2021, 2035, 150.0),
                 "P-JZ-001": (2021, 2027, 80.0), "P-JT-007": (2002, 2017, 650.0),
                 "P-CY-001": (2021, 2035, 300.0)}
YEARS_NOTE = "QDNF/WCNF/TZ 为示例值"
PROJECT_LAYERS = {"Point": "XMK_POINT", "LineString": "XMK_LINE", "MultiLineString": "XMK_LINE",
                  "Polygon": "XMK_POLYGON", "MultiPolygon": "XMK_POLYGON"}


def shared_seeds(sources: Sources) -> list[Seed]:
    """All features that every project of the sample holds."""
    return [*city_seeds(sources), taihu_seed(sources), *zone_seeds(sources),
            demo_zone_seed(sources), *town_circle_seeds(sources), *corridor_seeds(sources),
            *project_seeds(sources)]


def city_seeds(sources: Sources) -> list[Seed]:
    """XZQ: the nine schematic city boundaries, each owned by its city."""
    return [Seed("XZQ", c.code, c.code, {
        "BSM": bsm(c.code, 1, 1), "XZQDM": c.code, "XZQMC": c.name_zh, "JB": "city",
        "SFDM": c.province, "BZ": f"{BOUNDARY_NOTE}（Natural Earth 公有领域数据 + 县级点 Voronoi 概化）",
    }, polygonal(c.boundary)) for c in sources.cities]


def taihu_seed(sources: Sources) -> Seed:
    """SY: Taihu, held by the office (the lake is shared by four cities)."""
    return Seed("SY", "taihu", OFFICE, {
        "MC": "太湖", "BZ": f"Taihu Lake；{sources.taihu_note}；概化湖岸 generalised shoreline",
    }, polygonal(sources.taihu))


def _members(sources: Sources, codes: list[str]) -> BaseGeometry:
    return shapely.union_all([sources.city(code).boundary for code in codes])


def zone_seeds(sources: Sources) -> list[Seed]:
    """DSQ_ZLXTQ: the five strategic coordination zones, owned by their lead cities."""
    seeds = []
    for section in sources.plan["spatial_sections"]:
        sketch, km, how = ZONE_SKETCHES[section["id"]]
        region = _members(sources, [section["lead"], *section["participants"]])
        if sketch is None:  # the lake belongs to the zone although no city polygon covers it
            sketch, region = sources.taihu, region.union(sources.taihu)
        geom = clip(buffer_km(sketch, km), region)
        seeds.append(Seed("DSQ_ZLXTQ", section["id"], section["lead"], {
            "ZQBM": section["id"], "ZQMC": section["zh"], "QTCS": section["lead"],
            "CYCS": ",".join(section["participants"]),
            "BZ": f"{SCHEMATIC}：{how}，裁切至成员城市示意边界；非规划批复范围 not an approved boundary",
        }, geom))
    return seeds



def demo_zone_seed(sources: Sources) -> Seed:
    """HZSFQ: the Yangtze Delta eco-green integration demonstration zone (青浦·吴江·嘉善)."""
    discs = [buffer_km(Point(lon, lat), km) for lon, lat, km in DEMO_ZONE]
    geom = clip(shapely.union_all(discs), _members(sources, ["310000", "320500", "330400"]))
    log.debug("demonstration zone: %.0f km² (schematic)", area_km2(geom))
    return Seed("HZSFQ", "qingpu-wujiang-jiashan", OFFICE, {
        "SFQBM": "SFQ01", "SFQMC": "长三角生态绿色一体化发展示范区（青浦·吴江·嘉善）",
        "SSZQ": "Z2", "XJDM": "310118,320509,330421",
        "BZ": (f"{SCHEMATIC}：按三区县面积以圆近似，约 {area_km2(geom):,.0f} km²"
               "（官方约 2,413 km² [S]）；区县代码见 metro_plan_structure.json"),
    }, geom)


def town_circle_seeds(sources: Sources) -> list[Seed]:
    """KJCZQ: the three cross-border town circles named in metro_plan_structure.json."""
    land = _members(sources, [c.code for c in sources.cities])
    seeds = []
    for n, (name, (points, counties)) in enumerate(TOWN_CIRCLES.items(), start=1):
        sketch = buffer_km(MultiPoint(points).convex_hull, 4)
        # The Chongming exclaves are missing from the schematic land: keep the sketch there.
        geom = clip(sketch, land) or polygonal(sketch)
        seeds.append(Seed("KJCZQ", f"CZQ{n:02d}", OFFICE, {
            "CZQBM": f"CZQ{n:02d}", "CZQMC": name, "XZDM": counties,
            "BZ": (f"{SCHEMATIC}：镇区位置近似（±3 km）外扩 4 km；名称见来源，范围未核实；"
                   "XZDM 暂填所在区县代码（凭记忆，待核），乡镇代码待补"),
        }, geom))
    return seeds


def corridor_seeds(sources: Sources) -> list[Seed]:
    """QYFZLD: the seven regional development corridors, drawn through their cities."""
    corridors = sources.structure["corridors_7"]["items"]
    return [Seed("QYFZLD", c["id"], OFFICE, {
        "LDBM": c["id"], "LDMC": c["zh"], "LDLX": "综合",
        "BZ": (f"{SCHEMATIC}：连接沿线城市标注点的示意走向；7 条廊道名单为推测重建，名称未经核实 "
               "names unverified；类型暂填“综合”"),
    }, snapped(LineString([sources.city(code).label_point for code in c["via"]])))
        for c in corridors]


def project_seeds(sources: Sources) -> list[Seed]:
    """XMK_*: the project library, split into point, line and polygon layers."""
    return [_project_seed(sources, feature) for feature in sources.projects]


def _project_seed(sources: Sources, feature: dict) -> Seed:
    p = feature["properties"]
    geom = shape(feature["geometry"])
    layer = PROJECT_LAYERS[geom.geom_type]
    status = STATUS.get(p["JSZT"], p["JSZT"])
    notes = [f"位置精度 accuracy: {p['accuracy']}", YEARS_NOTE]
    if status != p["JSZT"]:
        notes.append(f"来源状态 source status “{p['JSZT']}”")
    notes += [p.get("note") or "", p.get("name_en") or ""]
    lead = next(a["lead"] for a in sources.plan["system_actions"]
                if a["id"] == SYSTEM_ACTIONS[p["XMLX"]])
    return Seed(layer, p["XMBH"], OFFICE, {
        "XMBH": p["XMBH"], "XMMC": p["XMMC"], "XMLX": p["XMLX"], "QTDW": lead,
        "SJCS": ",".join(_cities_touched(sources, geom)), "JSZT": status,
        **dict(zip(("QDNF", "WCNF", "TZ"), PROJECT_YEARS[p["XMBH"]], strict=True)),
        "BZ": _remarks(notes),
    }, snapped(geom))


def _remarks(notes: list[str]) -> str:
    """The notes joined by ；, cut to BZ's 255 characters before the last one (the English
    name, which items.items_from_library reads from the end)."""
    *head, last = [n for n in notes if n]
    return f"{'；'.join(head)[:254 - len(last)]}；{last}" if head else last[:255]


def _cities_touched(sources: Sources, geom: BaseGeometry) -> list[str]:
    """Cities within ~3 km of `geom` (the locations are ±1–3 km), else the nearest one."""
    near = [c.code for c in sources.cities if c.boundary.distance(geom) < 0.03]
    return near or [min(sources.cities, key=lambda c: c.boundary.distance(geom)).code]
