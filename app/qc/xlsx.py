"""The QC findings as an Excel workbook (质检表): a summary sheet (party, version, date, counts
per check and layer) and one sheet listing every finding, with a frozen header, column
widths for Chinese text and a filter. Unlike the PDF it lists every finding and the feature's
uuid (the key to find it again in the project)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from app.qc.checks import CHECKS, Finding
from app.review.times import beijing

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
SEVERITY_ZH = {"error": "错误", "warning": "警告"}
FINDING_COLUMNS = (  # (header, width in characters)
    ("序号 No.", 8), ("图层代码 Layer", 14), ("图层名称 Layer name", 22), ("标识码 BSM", 20),
    ("检查项 Check", 22), ("类别 Severity", 10), ("问题说明", 60), ("Finding", 60),
    ("经度 Lon", 13), ("纬度 Lat", 13), ("要素 UUID", 38))


def write_xlsx(findings: list[Finding], path: str | Path, *, party: str, version: str,
               layer_names: dict[str, str] | None = None, at: str | None = None) -> Path:
    """Write the workbook of `findings` to `path` (`at`: the check's UTC ISO time)."""
    from app.qc.report import _layer_namer

    name = _layer_namer(layer_names, "zh")
    wb = Workbook()
    _summary(wb.active, findings, party, version, at, name)
    _findings(wb.create_sheet("问题清单"), findings, name)
    path = Path(path)
    wb.save(path)
    return path


def _header(ws, row: int, titles: list[str]) -> None:
    for col, title in enumerate(titles, 1):
        cell = ws.cell(row=row, column=col, value=title)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(vertical="center", wrap_text=True)


def _summary(ws, findings: list[Finding], party: str, version: str, at: str | None, name) -> None:
    ws.title = "汇总"
    errors = sum(f.severity == "error" for f in findings)
    when = beijing(at or dt.datetime.now(dt.UTC).isoformat(), "zh")
    for row, (label, value) in enumerate((
            ("数据质检报告", None), ("提交单位", party), ("数据版本", version), ("质检时间", when),
            ("错误", errors), ("警告", len(findings) - errors),
            ("质检结论", "不合格" if errors else "合格")), 1):
        ws.cell(row=row, column=1, value=label).font = Font(bold=True, size=14 if row == 1 else 11)
        ws.cell(row=row, column=2, value=value)
    start = 9
    _header(ws, start, ["检查项", "Check", "图层", "错误", "警告"])
    counts: Counter[tuple] = Counter((f.check, f.layer, f.severity) for f in findings)
    row = start
    for key, check in CHECKS.items():
        layers: list[str | None] = [*sorted({f.layer for f in findings if f.check == key})] or [None]
        for layer in layers:
            row += 1
            ws.append([check.name_zh, check.name_en, name(layer) if layer else "—",
                       counts[(key, layer, "error")], counts[(key, layer, "warning")]])
    ws.freeze_panes = ws.cell(row=start + 1, column=1)
    for col, width in enumerate((24, 30, 24, 8, 8), 1):
        ws.column_dimensions[get_column_letter(col)].width = width


def _findings(ws, findings: list[Finding], name) -> None:
    _header(ws, 1, [title for title, _ in FINDING_COLUMNS])
    for n, f in enumerate(findings, 1):
        check = CHECKS.get(f.check)
        ws.append([n, f.layer, name(f.layer), f.bsm, check.name_zh if check else f.check,
                   SEVERITY_ZH[f.severity], f.message_zh, f.message,
                   f.where[0] if f.where else None, f.where[1] if f.where else None, f.uuid])
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(FINDING_COLUMNS))}{len(findings) + 1}"
    for col, (_, width) in enumerate(FINDING_COLUMNS, 1):
        ws.column_dimensions[get_column_letter(col)].width = width
