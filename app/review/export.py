"""Ledger exports, ready for the office: CSV (UTF-8 with BOM, one row per comment) and an XLSX
workbook (a summary sheet with the counting rule, the ledger, one sheet per breakdown, the
invitations' responses), with Chinese headers and names, labels instead of codes, Beijing
times, rates as percentages, column widths, bold frozen header rows, filters and totals."""

from __future__ import annotations

import csv
from pathlib import Path

from app.review import texts as T
from app.review.ledger import Ledger, Row, Tally
from app.review.model import (
    CHANNEL_LABELS,
    DISPOSITION_LABELS,
    DISPOSITIONS,
    PARTY_TYPE_LABELS,
    REASONS,
    STATUS_LABELS,
    label,
)
from app.review.times import beijing, overdue

# (key, Chinese header, English header, column width in Excel units: a Chinese character is ~2)
COLUMNS = [("comment", "意见编号", "comment id", 38), ("round", "轮次", "round", 6),
           ("party_name", "单位", "party", 32), ("party", "单位代码", "party code", 12),
           ("party_type", "单位类型", "party type", 10), ("deliverable", "成果", "deliverable", 28),
           ("channel", "渠道", "channel", 10), ("author", "提交人", "sent by", 16),
           ("received", "收到时间", "received", 26), ("written", "填写时间", "written", 26),
           ("due", "截止日期", "due", 12), ("late", "逾期", "late", 6),
           ("status", "状态", "status", 16), ("disposition", "处理意见", "disposition", 10),
           ("reason", "理由", "reason", 24), ("changes", "修改依据数", "change references", 10),
           ("memo", "会议纪要", "memo", 30), ("group", "重复意见组", "duplicate group", 12),
           ("body", "意见内容", "comment text", 50), ("answer", "答复", "answer", 50)]
WRAPPED = ("body", "answer", "memo")
TALLY_COLUMNS = [("comments", "意见数", "comments"), ("counted", "计入采纳统计", "counted items"),
                 ("answered", "已答复", "answered"), ("open", "未办结", "open"),
                 *((d, DISPOSITION_LABELS[d][0], DISPOSITION_LABELS[d][1]) for d in DISPOSITIONS),
                 ("satisfied", "已确认满意", "satisfied"), ("reopened", "不满意重新办理", "reopened"),
                 ("rate", "采纳率", "adoption rate")]
RESPONSE_COLUMNS = [("round", "轮次", "round", 6), ("name", "单位", "party", 32),
                    ("party", "单位代码", "party code", 12), ("type", "单位类型", "party type", 10),
                    ("due", "截止日期", "due", 12), ("response", "回复", "response", 10),
                    ("received", "首条意见收到时间", "first received", 26),
                    ("late", "逾期", "late", 6), ("reminded", "催办次数", "reminders", 10)]
SHEETS = {"summary": ("汇总", "summary"), "rows": ("意见台账", "ledger"),
          "by_party_type": ("按单位类型", "by party type"), "by_party": ("按单位", "by party"),
          "by_round": ("按轮次", "by round"), "by_deliverable": ("按成果", "by deliverable"),
          "responses": ("征询回复", "responses")}
PERCENT = "0.0%"


def _pick(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def _yes(flag: bool, lang: str) -> str:
    return _pick(lang, "是", "yes") if flag else ""


def _groups(ledger: Ledger) -> dict[str, int]:
    """Duplicate groups numbered 1, 2, … in the order the ledger first meets them."""
    numbers: dict[str, int] = {}
    for row in ledger.rows:
        if row.group and row.group not in numbers:
            numbers[row.group] = len(numbers) + 1
    return numbers


def _cells(row: Row, lang: str, groups: dict[str, int]) -> list:
    values = row.to_json()
    values.update(
        party_type=label(PARTY_TYPE_LABELS, row.party_type, lang),
        deliverable=T.deliverable_name(row.deliverable, lang),
        channel=label(CHANNEL_LABELS, row.channel, lang) if row.channel else "",
        received=beijing(row.received, lang), written=beijing(row.written, lang),
        late=_yes(row.late, lang), status=label(STATUS_LABELS, row.status, lang),
        disposition=label(DISPOSITION_LABELS, row.disposition, lang),
        reason=label(REASONS, row.reason, lang),
        group=(_pick(lang, f"重复组 {groups[row.group]}", f"group {groups[row.group]}")
               if row.group else ""))
    return [values[key] if values.get(key) is not None else "" for key, *_ in COLUMNS]


def _header(columns: list[tuple], lang: str) -> list[str]:
    return [_pick(lang, c[1], c[2]) for c in columns]


def write_csv(ledger: Ledger, path: str | Path, lang: str = "zh") -> int:
    """One row per comment, UTF-8 with BOM so Excel opens Chinese correctly; returns rows."""
    groups = _groups(ledger)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(_header(COLUMNS, lang))
        for row in ledger.rows:
            writer.writerow(_cells(row, lang, groups))
    return len(ledger.rows)


def _tally_cells(name: str, t: Tally) -> list:
    data = t.to_json()
    counts = [data["dispositions"][k] if k in DISPOSITIONS else data[k]
              for k, *_ in TALLY_COLUMNS[:-1]]
    return [name, *counts, t.rate if t.rate is not None else ""]


def _format(sheet, widths: list[int], rows: int, total: bool = False,
            percent: tuple[int, ...] = (), wrapped: tuple[int, ...] = ()) -> None:
    """Bold frozen header, filter over header + data, widths, percentages, a bold total row."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold, fill = Font(bold=True), PatternFill("solid", fgColor="E8EEF5")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for n, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(widths))
    sheet.auto_filter.ref = f"A1:{last}{rows + 1}"
    for col in percent:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.number_format = PERCENT
    for col in wrapped:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    if total:
        for cell in sheet[sheet.max_row]:
            cell.font = bold


def _rows_sheet(book, ledger: Ledger, lang: str) -> None:
    sheet = book.create_sheet(_pick(lang, *SHEETS["rows"]))
    sheet.append(_header(COLUMNS, lang))
    groups = _groups(ledger)
    for row in ledger.rows:
        sheet.append(_cells(row, lang, groups))
    wrapped = tuple(n for n, c in enumerate(COLUMNS, 1) if c[0] in WRAPPED)
    _format(sheet, [c[3] for c in COLUMNS], len(ledger.rows), wrapped=wrapped)


def _names(key: str, code: str, ledger: Ledger, lang: str) -> str:
    if key == "by_party_type":
        return label(PARTY_TYPE_LABELS, code, lang)
    if key == "by_party":
        return next((r.party_name for r in ledger.rows if r.party == code), code)
    if key == "by_round":
        return _pick(lang, f"第{code}轮", f"round {code}")
    return T.deliverable_name(code, lang)


def _breakdown_sheet(book, ledger: Ledger, key: str, lang: str) -> None:
    items = ledger.breakdown(key)
    sheet = book.create_sheet(_pick(lang, *SHEETS[key]))
    sheet.append([_pick(lang, "类别", "group"), *_header(TALLY_COLUMNS, lang)])
    for code, t in items:
        sheet.append(_tally_cells(_names(key, code, ledger, lang), t))
    sheet.append(_tally_cells(_pick(lang, "合计", "total"), ledger.total))
    widths = [32 if key in ("by_party", "by_deliverable") else 16, *([12] * len(TALLY_COLUMNS))]
    _format(sheet, widths, len(items), total=True, percent=(len(TALLY_COLUMNS) + 1,))


def _summary_sheet(book, ledger: Ledger, lang: str) -> None:
    sheet = book.create_sheet(_pick(lang, *SHEETS["summary"]))
    sheet.append([_pick(lang, "项目", "item"), _pick(lang, "数值", "value")])
    total = _tally_cells("", ledger.total)[1:]
    for (_, zh, en), value in zip(TALLY_COLUMNS, total, strict=True):
        sheet.append([_pick(lang, zh, en), value])
    groups, members = ledger.duplicate_groups
    sheet.append([_pick(lang, "重复意见组（条）", "duplicate groups (comments)"),
                  f"{groups}（{members}）" if lang == "zh" else f"{groups} ({members})"])
    sheet.append([_pick(lang, "未回复的征询", "invitations unanswered"), len(ledger.non_responses)])
    _format(sheet, [28, 16], sheet.max_row - 1)
    sheet.cell(len(TALLY_COLUMNS) + 1, 2).number_format = PERCENT
    sheet.append([])
    note = T.duplicate_note(groups, members, ledger.total.counted, lang)
    sheet.append([_pick(lang, "统计口径", "counting rule"), note])
    from openpyxl.styles import Alignment, Font
    sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    sheet.cell(sheet.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["B"].width = 80


def _late_response(r: dict) -> bool:
    """Answered after the due date, or still silent with the due date past (as of today: the
    export is a working list, unlike the ledger, which states only what the events say)."""
    return bool(r.get("late")) or (r["response"] == "none" and overdue(r["due"]))


def _responses_sheet(book, ledger: Ledger, lang: str) -> None:
    sheet = book.create_sheet(_pick(lang, *SHEETS["responses"]))
    sheet.append(_header(RESPONSE_COLUMNS, lang))
    words = T.TEXT[lang]["responses"]
    for r in ledger.responses:
        sheet.append([r["round"], r["name"], r["party"], label(PARTY_TYPE_LABELS, r["type"], lang),
                      r["due"] or "", words[r["response"]], beijing(r.get("received"), lang),
                      _yes(_late_response(r), lang), r.get("reminded", 0)])
    _format(sheet, [c[3] for c in RESPONSE_COLUMNS], len(ledger.responses))


def write_xlsx(ledger: Ledger, path: str | Path, lang: str = "zh") -> None:
    """The workbook: summary (with the duplicate-group rule), ledger, the four breakdowns and
    the invitations' responses."""
    from openpyxl import Workbook  # only the export needs it

    book = Workbook()
    book.remove(book.active)
    _summary_sheet(book, ledger, lang)
    _rows_sheet(book, ledger, lang)
    for key in ("by_party_type", "by_party", "by_round", "by_deliverable"):
        _breakdown_sheet(book, ledger, key, lang)
    _responses_sheet(book, ledger, lang)
    book.save(str(path))
