"""Annex tables of the policy set: the project library, core indicators and city summaries.

Official text: layers are named by their catalogue names, never by code, and the indicator
sources say how a value was computed without file paths or commands (`official_text`). The
index of section ids is on the production sheet (app/reports/metadata.py).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.errors import CoplanError
from app.model.jobs import Job
from app.reports.edition import Inputs
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
                  types.get(a.get("XMLX"), (a.get("XMLX") or "",))[0], str(a.get("QTDW") or ""),  # type: ignore[arg-type]  # an unlisted type shows as it is
                  _cities(inputs, a.get("SJCS")), str(a.get("JSZT") or ""), _years(a),
                  "—" if a.get("TZ") is None else f"{a['TZ']:,.1f}")
                 for n, (_, a) in enumerate(found, 1))
    return without_empty(TableData("项目库 Project library",
                                   ("序号", "项目编号", "项目名称", "类型", "牵头单位", "涉及城市",
                                    "状态", "年份", "投资(亿元)"), rows,
                                   (5, 10, 24, 7, 17, 17, 7, 9, 8)), OPTIONAL_COLUMNS)


OPTIONAL_COLUMNS = ("年份", "投资(亿元)")  # left out of a table where no row has a value


def without_empty(table: TableData, optional: Sequence[str]) -> TableData:
    """`table` less its `optional` columns that are empty ("—") in every row."""
    keep = [i for i, title in enumerate(table.header)
            if title not in optional or any(r[i] not in ("—", "") for r in table.rows)]
    if len(keep) == len(table.header):
        return table
    return TableData(table.title, tuple(table.header[i] for i in keep),
                     tuple(tuple(r[i] for i in keep) for r in table.rows),
                     tuple(table.widths[i] for i in keep), table.notes)


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
        rows.append((data.layer.name_zh, str(len(mine)), f"{area:,.1f}"))
    return TableData("", ("图层", "要素数", "面积(km²)"), tuple(rows), (50, 20, 25))


def iter_indicator_annex(inputs: Inputs, year: int) -> Job[TableData]:
    """The core-indicator annex of `year` from the check-up of app.analysis; when that is not
    available, a clearly labelled stand-in made from layer totals."""
    try:
        from app.analysis.checkup import annex
        from app.analysis.indicators import load_definitions
        from app.analysis.projects import iter_checkup
    except ImportError as exc:  # the analysis module is optional for publishing
        log.warning("indicator annex from layer totals: %s", exc)
        return layer_totals(inputs, "指标模块不可用")
    try:
        definitions = load_definitions()
        report = yield from iter_checkup(inputs.path, year, definitions=definitions)
    except CoplanError as exc:
        log.warning("indicator annex from layer totals: %s", exc.message)
        return layer_totals(inputs, "本年度体检未能完成")
    table = annex(report, definitions)
    names = layer_names(inputs)
    with_values = same_as_above(tuple((*r[:-1], official_text(r[-1], names))
                                      for r in table.rows if r[5] not in ("—", "")))
    # The definitions' provenance note (table.notes[1]) is for the maintainers, in English.
    notes = (table.notes[0], f"{year} 年度体检；仅列出有本年值的 {len(with_values)} 行"
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
        rows.append((layer.name_zh, str(len(data.uuids)), "—" if area is None else f"{area:,.1f}"))
    return TableData("指标附表（简表）：图层统计 Stand-in: layer totals",
                     ("图层", "要素数", "面积(km²)"), tuple(rows), (50, 20, 25),
                     (f"替代表：{why}。正式指标附表由核心指标体检生成。",))


# Codes that are not layers but appear in indicator methods.
OTHER_CODES = {"DLTB": "地类图斑"}
_PATH = re.compile(r"（[^（）]*[A-Za-z_]+/[A-Za-z0-9_./-]+[^（）]*）")  # （schemas/rules/x.json）
_COMMAND = re.compile(r"[；，]?[^；，（）]*coplan\s+[a-z-]+")  # …见 coplan check
_FIELD_TEST = re.compile(r"[A-Z][A-Z_]+=[A-Z0-9_]+[，,]?\s*")  # XMLX=JT，
_REF = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{3}[，,]?\s*")  # TJ032: another indicator's id
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff）])\s+(?=[\u4e00-\u9fff（])")


def same_as_above(rows: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    """An indicator's source only on its first row; 同上 on the rows of other regions."""
    out, previous = [], None
    for row in rows:
        key = (row[0], row[-1])
        out.append((*row[:-1], "同上") if key == previous else row)
        previous = key
    return tuple(out)


def layer_names(inputs: Inputs) -> dict[str, str]:
    """Layer code → catalogue name, and other codes the methods use."""
    return {**OTHER_CODES, **{layer.code: layer.name_zh for layer in inputs.project.layers()}}


def official_text(text: str, names: dict[str, str]) -> str:
    """`text` for an official document: codes replaced by names; paths, commands and field
    tests left out (they are for the maintainers)."""
    for pattern in (_PATH, _COMMAND, _FIELD_TEST, _REF):
        text = pattern.sub("", text)
    for code in sorted(names, key=len, reverse=True):
        name = names[code]
        text = text.replace(f"{name}（{code}）", name)
        text = re.sub(rf"(?<![A-Za-z0-9_-]){re.escape(code)}(?![A-Za-z0-9_-])", name, text)
    text = text.replace("（）", "").replace("，）", "）").replace("图斑图斑", "图斑")
    return _CJK_GAP.sub("", text).strip()
