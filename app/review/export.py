"""Ledger exports: CSV (one row per comment) and XLSX (rows plus one sheet per breakdown)."""

from __future__ import annotations

import csv
from pathlib import Path

from app.review.ledger import Ledger, Row, Tally
from app.review.model import (
    DISPOSITION_LABELS,
    DISPOSITIONS,
    PARTY_TYPE_LABELS,
    REASONS,
    STATUS_LABELS,
    label,
)

COLUMNS = [("comment", "意见编号", "comment"), ("round", "轮次", "round"),
           ("party", "单位代码", "party"), ("party_name", "单位", "party name"),
           ("party_type", "单位类型", "party type"), ("deliverable", "成果", "deliverable"),
           ("channel", "渠道", "channel"), ("written", "提出时间", "written"),
           ("status", "状态", "status"), ("disposition", "处理意见", "disposition"),
           ("reason", "理由", "reason"), ("changes", "修改依据数", "change references"),
           ("memo", "会议纪要", "memo"), ("body", "意见内容", "comment text"),
           ("answer", "答复", "answer")]
TALLY_HEAD = ["comments", "answered", "open", *DISPOSITIONS, "satisfied", "reopened", "rate"]


def _cells(row: Row, lang: str) -> list:
    values = row.to_json()
    values["party_type"] = label(PARTY_TYPE_LABELS, row.party_type, lang)
    values["status"] = label(STATUS_LABELS, row.status, lang)
    values["disposition"] = label(DISPOSITION_LABELS, row.disposition, lang)
    values["reason"] = label(REASONS, row.reason, lang)
    return [values[key] if values[key] is not None else "" for key, _, _ in COLUMNS]


def _header(lang: str) -> list[str]:
    return [zh if lang == "zh" else en for _, zh, en in COLUMNS]


def write_csv(ledger: Ledger, path: str | Path, lang: str = "zh") -> int:
    """One row per comment, UTF-8 with BOM so Excel opens Chinese correctly; returns rows."""
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(_header(lang))
        for row in ledger.rows:
            writer.writerow(_cells(row, lang))
    return len(ledger.rows)


def _tally_cells(name: str, t: Tally) -> list:
    data = t.to_json()
    counts = [data["comments"], data["answered"], data["open"],
              *(data["dispositions"][d] for d in DISPOSITIONS), data["satisfied"], data["reopened"]]
    return [name, *counts, data["rate"] if data["rate"] is not None else ""]


def write_xlsx(ledger: Ledger, path: str | Path, lang: str = "zh") -> None:
    """A workbook: the ledger rows, the four breakdowns and the invitations' responses."""
    from openpyxl import Workbook  # only the export needs it

    book = Workbook(write_only=True)
    rows = book.create_sheet("意见台账" if lang == "zh" else "ledger")
    rows.append(_header(lang))
    for row in ledger.rows:
        rows.append(_cells(row, lang))
    for title, breakdown in (("按单位类型", ledger.by_party_type), ("按单位", ledger.by_party),
                             ("按轮次", ledger.by_round), ("按成果", ledger.by_deliverable)):
        sheet = book.create_sheet(title)
        sheet.append(["", *TALLY_HEAD])
        for key, t in sorted(breakdown.items()):
            sheet.append(_tally_cells(key, t))
        sheet.append(_tally_cells("合计 total", ledger.total))
    sheet = book.create_sheet("征询回复" if lang == "zh" else "responses")
    sheet.append(["round", "party", "name", "type", "due", "response"])
    for r in ledger.responses:
        sheet.append([r["round"], r["party"], r["name"], r["type"], r["due"] or "", r["response"]])
    book.save(str(path))
