"""The QC report of a submission (数据质检报告) as PDF: the party, data version and date, the
verdict, a summary per check and per layer, a map of where the spatial findings lie, and the
findings with BSM and the layer's Chinese name. No internal ids: a feature without a BSM is
shown by its position. Same inputs, same bytes (reportlab invariant mode; the date is given).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Image, Spacer, Table, TableStyle

from app.qc.checks import CHECKS, Finding
from app.qc.qcmap import findings_map
from app.reports.fonts import reportlab_font
from app.reports.plain import A4Story, a4_table, build_a4
from app.reports.styles import SHADE
from app.review.times import beijing

log = logging.getLogger(__name__)
MAX_ROWS = 3000  # findings listed in the PDF; the workbook has them all
TEXT: dict[str, dict[str, Any]] = {
    "zh": {"party": "提交单位", "version": "数据版本", "date": "质检时间",
           "verdict": "质检结论", "pass": "合格：未发现错误", "fail": "不合格：发现 {e} 处错误、{w} 处警告",
           "pass_warn": "合格：未发现错误，有 {w} 处警告", "summary": "一、质检结果汇总",
           "by_layer": "二、分图层统计", "map": "三、问题位置示意", "list": "四、问题清单",
           "check": "检查项", "errors": "错误", "warnings": "警告", "result": "结果",
           "passed": "通过", "failed": "未通过", "warned": "有警告", "layer": "图层",
           "no": "序号", "bsm": "标识码", "severity": "类别", "message": "问题说明",
           "where": "位置（经度, 纬度）", "error": "错误", "warning": "警告", "none": "无",
           "no_bsm": "（无标识码）", "cut": "仅列出前 {n} 条，共 {total} 条；完整清单见 Excel 质检表。",
           "boundary": {"layer": "辖区范围取自本数据的行政区图层（外扩约 100 米）。",
                        "reference": "本数据无本单位行政区要素，辖区范围取自都市圈示意边界"
                                     "（外扩约 5 公里，非官方界线），仅能发现明显越界。",
                        "none": "未能确定本单位辖区范围，未做越界检查。"},
           "map_note": "示意图，非正式地图；{n} 处我国范围以外的问题未绘出。", "page": "第 {n} 页",
           "empty_map": "无空间位置类问题。"},
    "en": {"party": "Party", "version": "Data version", "date": "Checked", "verdict": "Verdict",
           "pass": "Passed: no errors", "fail": "Failed: {e} error(s), {w} warning(s)",
           "pass_warn": "Passed: no errors, {w} warning(s)", "summary": "1. Summary by check",
           "by_layer": "2. By layer", "map": "3. Where the findings lie", "list": "4. Findings",
           "check": "Check", "errors": "Errors", "warnings": "Warnings", "result": "Result",
           "passed": "passed", "failed": "failed", "warned": "warnings", "layer": "Layer",
           "no": "No.", "bsm": "BSM", "severity": "Severity", "message": "Finding",
           "where": "Where (lon, lat)", "error": "error", "warning": "warning", "none": "none",
           "no_bsm": "(no BSM)", "cut": "The first {n} of {total} findings; the workbook lists all.",
           "boundary": {"layer": "The party's area is its own XZQ feature in this data (widened ~100 m).",
                        "reference": "This data has no XZQ feature of the party: its area is the metro "
                                     "area's schematic city boundary (widened ~5 km, not official), "
                                     "so only clear cases are found.",
                        "none": "The party's area is unknown: features were not checked against it."},
           "map_note": "Schematic, not an official map; {n} finding(s) outside China not drawn.",
           "page": "Page {n}", "empty_map": "No findings with a position on the map."},
}
TITLE_EN = "Data quality inspection report"


def _table(rows: list[list], widths: list[float], lang: str) -> Table:
    return a4_table(rows, widths, lang, font_size=8)


def _layer_namer(layer_names: dict[str, str] | None, lang: str):
    from app.model.catalogue import load_catalogue

    catalogue = load_catalogue()

    def name(code: str) -> str:
        if layer_names and code in layer_names:
            return layer_names[code]
        try:
            return catalogue.layer(code).name(lang)
        except Exception:  # a layer this catalogue does not know: its code is all there is
            return code
    return name


def _verdict(findings: list[Finding], t: dict) -> str:
    e = sum(f.severity == "error" for f in findings)
    w = len(findings) - e
    if e:
        return t["fail"].format(e=e, w=w)
    return t["pass_warn"].format(w=w) if w else t["pass"]


def _head(s: A4Story, title: str, party: str, version: str, at: str | None,
          findings: list[Finding], boundary_source: str | None) -> list:
    t = s.t
    when = beijing(at or dt.datetime.now(dt.UTC).isoformat(), s.lang)
    rows = [[s.p(t["party"]), s.p(party)], [s.p(t["version"]), s.p(version)],
            [s.p(t["date"]), s.p(when)], [s.p(t["verdict"]), s.p(_verdict(findings, t))]]
    meta = Table(rows, colWidths=[30 * mm, 120 * mm])
    meta.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), reportlab_font()),
                              ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#9AA5B1")),
                              ("BACKGROUND", (0, 0), (0, -1), SHADE),
                              ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story = [s.p(title, "title"), s.p(TITLE_EN if s.lang == "zh" else "", "subtitle"), meta]
    if boundary_source in t["boundary"]:
        story.append(s.p(t["boundary"][boundary_source], "note"))
    return story


def _summary(s: A4Story, findings: list[Finding]) -> list:
    t = s.t
    counts = Counter((f.check, f.severity) for f in findings)
    rows: list[list] = [[s.p(h, "head") for h in (t["check"], t["errors"], t["warnings"], t["result"])]]
    for key, check in CHECKS.items():
        e, w = counts[(key, "error")], counts[(key, "warning")]
        result = t["failed"] if e else t["warned"] if w else t["passed"]
        name = check.name_zh if s.lang == "zh" else check.name_en
        rows.append([s.p(name, "small"), e, w, s.p(result, "small")])
    table = _table(rows, [80 * mm, 22 * mm, 22 * mm, 30 * mm], s.lang)
    for n, key in enumerate(CHECKS, 1):  # a failed check stands out in the office's red
        if counts[(key, "error")]:
            table.setStyle(TableStyle([("BACKGROUND", (3, n), (3, n), colors.HexColor("#FDE2E1"))]))
    return [s.p(t["summary"], "h2"), table]


def _by_layer(s: A4Story, findings: list[Finding], layer_name) -> list:
    t = s.t
    counts = Counter((f.layer, f.check, f.severity) for f in findings)
    keys = sorted({(f.layer, f.check) for f in findings},
                  key=lambda k: (layer_name(k[0]), list(CHECKS).index(k[1]) if k[1] in CHECKS else 99))
    rows: list[list] = [[s.p(h, "head") for h in (t["layer"], t["check"], t["errors"], t["warnings"])]]
    for layer, check in keys:
        c = CHECKS.get(check)
        name = (c.name_zh if s.lang == "zh" else c.name_en) if c else check
        rows.append([s.p(layer_name(layer), "small"), s.p(name, "small"),
                     counts[(layer, check, "error")], counts[(layer, check, "warning")]])
    if len(rows) == 1:
        rows.append([s.p(t["none"], "small"), "", "", ""])
    return [s.p(t["by_layer"], "h2"), _table(rows, [55 * mm, 65 * mm, 17 * mm, 17 * mm], s.lang)]


def _map(s: A4Story, findings: list[Finding]) -> list:
    t = s.t
    png, abroad = findings_map(findings, s.lang)
    story: list = [CondPageBreak(90 * mm), s.p(t["map"], "h2")]
    if png is None:
        return [*story, s.p(t["empty_map"], "note")]
    image = Image(png, width=150 * mm, height=105 * mm)
    return [*story, image, s.p(t["map_note"].format(n=abroad), "note")]


def _list(s: A4Story, findings: list[Finding], layer_name) -> list:
    t = s.t
    rows: list[list] = [[s.p(h, "head") for h in (t["no"], t["layer"], t["bsm"], t["check"], t["severity"],
                                      t["message"], t["where"])]]
    for n, f in enumerate(findings[:MAX_ROWS], 1):
        c = CHECKS.get(f.check)
        check = (c.name_zh if s.lang == "zh" else c.name_en) if c else f.check
        where = f"{f.where[0]:.5f}, {f.where[1]:.5f}" if f.where else ""
        rows.append([n, s.p(layer_name(f.layer), "small"), s.p(f.bsm or t["no_bsm"], "small"),
                     s.p(check, "small"), s.p(t[f.severity], "small"),
                     s.p(f.message_zh if s.lang == "zh" else f.message, "small"), s.p(where, "small")])
    story = [CondPageBreak(40 * mm), s.p(t["list"], "h2")]
    if len(findings) > MAX_ROWS:
        story.append(s.p(t["cut"].format(n=MAX_ROWS, total=len(findings)), "note"))
    widths = [10 * mm, 24 * mm, 25 * mm, 22 * mm, 13 * mm, 55 * mm, 25 * mm]
    return [*story, _table(rows, widths, s.lang)]


def write_pdf(findings: list[Finding], path: str | Path, *, title_zh: str, party: str,
              version: str, lang: str = "zh", layer_names: dict[str, str] | None = None,
              at: str | None = None, boundary_source: str | None = None) -> Path:
    """Write the QC report of `findings` to `path` (`at`: the check's UTC ISO time, default
    now; `boundary_source`: where the party's area came from, see app.qc.areas)."""
    s, path = A4Story(lang, TEXT[lang], title_size=22), Path(path)
    title = title_zh if lang == "zh" else TITLE_EN
    name = _layer_namer(layer_names, lang)
    story = [*_head(s, title, party, version, at, findings, boundary_source), Spacer(1, 2 * mm),
             *_summary(s, findings), *_by_layer(s, findings, name), *_map(s, findings)]
    if findings:
        story += _list(s, findings, name)
    _build(path, title, s, story)
    log.info("wrote QC report %s (%d findings)", path, len(findings))
    return path


def _build(path: Path, title: str, s: A4Story, story: list) -> None:
    build_a4(path, title, s.t["page"], story, s.lang)
