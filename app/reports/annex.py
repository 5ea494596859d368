"""Annex tables of the policy set: the project library, core indicators, city summaries and
the index of section ids (what comments cite)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from app.content.model import Section
from app.errors import CoplanError
from app.model.jobs import Job
from app.reports.edition import STATUS_NAMES, Inputs
from app.reports.maps import PROJECT_LAYERS, MapSpec

log = logging.getLogger(__name__)

CITY_LAYERS = ("CZKFBJ", "STBHHX", "YJJBNTBHTB", "GHYDYH")


@dataclass(frozen=True)
class TableData:
    """A table to typeset: title, column titles, rows of text, relative widths, notes."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    notes: tuple[str, ...] = ()


def _cities(inputs: Inputs, codes: object) -> str:
    names = [inputs.template.party(c.strip()).name_zh for c in str(codes or "").split(",")
             if c.strip()]
    return "、".join(names) or "—"


def _years(attrs: dict) -> str:
    start, end = attrs.get("QDNF"), attrs.get("WCNF")
    return "—" if start is None and end is None else f"{start or '…'}–{end or '…'}"


def project_rows(inputs: Inputs, uuids: Sequence[str] | None = None) -> TableData:
    """The project library (all of it, or the given projects in their order)."""
    found = []
    for code in PROJECT_LAYERS:
        data = inputs.data.layer(code)
        if data is not None:
            found += [(data.uuids[i], data.attrs[i]) for i in range(len(data.uuids))]
    if uuids is None:
        found.sort(key=lambda f: str(f[1].get("XMBH")))
    else:
        by_uuid = dict(found)
        found = [(u, by_uuid[u]) for u in uuids if u in by_uuid]
    types = inputs.project.catalogue.codelist("XMLX").codes
    rows = tuple((str(n), str(a.get("XMBH") or ""), str(a.get("XMMC") or ""),
                  types.get(a.get("XMLX"), (a.get("XMLX") or "",))[0], str(a.get("QTDW") or ""),
                  _cities(inputs, a.get("SJCS")), str(a.get("JSZT") or ""), _years(a),
                  "—" if a.get("TZ") is None else f"{a['TZ']:,.1f}")
                 for n, (_, a) in enumerate(found, 1))
    return TableData("项目库 Project library",
                     ("序号", "项目编号", "项目名称", "类型", "牵头单位", "涉及城市", "状态",
                      "年份", "投资(亿元)"), rows, (5, 10, 24, 7, 17, 17, 7, 9, 8))


def section_index(inputs: Inputs, sections: Sequence[Section]) -> TableData:
    """Every section with its id, owner and status: what comments and citations refer to."""
    t = inputs.template
    rows = tuple((s.id, s.title_zh, t.party(s.owner).name_zh, STATUS_NAMES[s.status][0],
                  s.digest()[:8]) for s in sections)
    return TableData("章节索引 Section index", ("章节编号", "标题", "起草方", "状态", "摘要"),
                     rows, (26, 40, 18, 9, 9),
                     ("章节编号在各版本间保持不变，意见征询时据此定位原文；摘要为章节内容哈希的前 8 位。",))


def city_specs(inputs: Inputs, width_mm: float, height_mm: float) -> list[MapSpec]:
    """One map per city: its development boundary, red lines, farmland and planned land use."""
    from app.content.model import Focus

    cities = inputs.data.layer("XZQ")
    if cities is None:
        return []
    return [MapSpec(f"city.{a['XZQDM']}", f"{a['XZQMC']}空间管控要素", f"{a['XZQMC']} controls",
                    CITY_LAYERS, Focus("XZQ", "XZQDM", str(a["XZQDM"])), (), width_mm, height_mm)
            for a in sorted(cities.attrs, key=lambda a: str(a["XZQDM"]))]


def city_rows(inputs: Inputs, code: str) -> TableData:
    """Counts and areas of the features the city owns in its control layers (areas are the
    layers' geodesic area fields)."""
    rows = []
    for layer_code in CITY_LAYERS:
        data = inputs.data.layer(layer_code)
        if data is None:
            continue
        area_field = next((f.name for f in data.layer.fields if f.derived == "area_m2"), None)
        mine = [a for a, owner in zip(data.attrs, data.owners, strict=True) if owner == code]
        area = sum(float(a.get(area_field) or 0) for a in mine) / 1e6 if area_field else 0.0
        rows.append((data.layer.name_zh, data.layer.code, str(len(mine)), f"{area:,.1f}"))
    return TableData("", ("图层", "代码", "要素数", "面积(km²)"), tuple(rows), (40, 25, 15, 20))


def iter_indicator_annex(inputs: Inputs, year: int) -> Job[TableData]:
    """The core-indicator annex of `year` from the check-up of app.analysis; when that is not
    available, a clearly labelled stand-in made from layer totals."""
    try:
        from app.analysis.checkup import annex
        from app.analysis.indicators import load_definitions
        from app.analysis.projects import iter_checkup
    except ImportError as exc:  # the analysis module is optional for publishing
        log.warning("indicator annex from layer totals: %s", exc)
        return layer_totals(inputs, f"指标模块不可用（{exc}）")
    try:
        definitions = load_definitions()
        report = yield from iter_checkup(inputs.path, year, definitions=definitions)
    except CoplanError as exc:
        log.warning("indicator annex from layer totals: %s", exc.message)
        return layer_totals(inputs, f"体检未能完成：{exc.message}")
    table = annex(report, definitions)
    with_values = tuple(r for r in table.rows if r[5] not in ("—", ""))
    notes = (*table.notes, f"{year} 年度体检；仅列出有本年值的 {len(with_values)} 行"
             f"（共 {len(table.rows)} 行）。")
    return TableData(f"核心指标 Core indicators ({year})", tuple(table.columns), with_values,
                     (7, 18, 6, 10, 8, 8, 10, 8, 5, 8, 14), tuple(n for n in notes if n))


def layer_totals(inputs: Inputs, why: str) -> TableData:
    """Stand-in indicator annex: feature count and area of every non-empty layer."""
    rows = []
    for layer in inputs.project.layers():
        data = inputs.data.layer(layer.code)
        if data is None:
            continue
        area_field = next((f.name for f in layer.fields if f.derived == "area_m2"), None)
        area = sum(float(a.get(area_field) or 0) for a in data.attrs) / 1e6 if area_field else None
        rows.append((layer.name_zh, layer.code, str(len(data.uuids)),
                     "—" if area is None else f"{area:,.1f}"))
    return TableData("指标附表（简表）：图层统计 Stand-in: layer totals",
                     ("图层", "代码", "要素数", "面积(km²)"), tuple(rows), (40, 25, 15, 20),
                     (f"替代表：{why}。正式指标附表由核心指标体检生成。",))
