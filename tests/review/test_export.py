"""Ledger exports ready for the office: Chinese headers and names, labels, Beijing times, late
flags, percentages, widths, bold frozen headers, filters, totals, the duplicate rule note, and
a CSV (UTF-8 with BOM) with the same columns as the ledger sheet."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook

from app.cli import main
from app.review.events import write_jsonl
from app.review.export import write_csv, write_xlsx
from app.review.ledger import compute
from app.review.state import fold
from tests.review.test_report import story_events

HEADER = ["意见编号", "轮次", "单位", "单位代码", "单位类型", "成果", "渠道", "提交人", "收到时间",
          "填写时间", "截止日期", "逾期", "状态", "处理意见", "理由", "修改依据数", "会议纪要",
          "重复意见组", "意见内容", "答复"]
TALLY = ["类别", "意见数", "计入采纳统计", "已答复", "未办结", "采纳", "部分采纳", "未采纳", "知悉",
         "转交办理", "重复意见", "已确认满意", "不满意重新办理", "采纳率"]


@pytest.fixture(scope="module")
def sample_book(sample, tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "ledger.xlsx"
    write_xlsx(compute(sample.state), path)
    return load_workbook(path)


@pytest.fixture(scope="module")
def story_book(tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "story.xlsx"
    write_xlsx(compute(fold(story_events())), path)
    return load_workbook(path)


def _values(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def test_every_sheet_has_a_bold_frozen_filtered_header_and_widths(sample_book):
    for sheet in sample_book:
        assert sheet.freeze_panes == "A2", sheet.title
        assert all(cell.font.bold for cell in sheet[1] if cell.value), sheet.title
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), sheet.title
        assert sheet.column_dimensions["A"].width >= 6 and sheet.column_dimensions["B"].width >= 6


def test_ledger_sheet_speaks_chinese(sample_book):
    rows = _values(sample_book["意见台账"])
    assert list(rows[0]) == HEADER and len(rows) == 648
    row = dict(zip(HEADER, rows[1], strict=True))
    assert row["单位"] == "上海大都市圈规划专家咨询委员会" and row["单位类型"] == "专家"
    assert row["状态"] in ("已确认满意", "已答复待确认") and row["处理意见"] in ("采纳", "部分采纳")
    assert row["收到时间"].endswith("北京时间") and row["填写时间"].endswith("北京时间")
    assert row["渠道"] in ("客户端", "离线包", "书面函件", "会议意见") and row["提交人"]
    assert {r[5] for r in rows[1:]} >= {"S1 交通一体化行动", "Z5 沿海战略协同区", "1 战略愿景总报告"}
    assert any(r[17] and r[17].startswith("重复组 ") for r in rows[1:])


def test_breakdowns_have_names_percentages_and_totals(sample_book):
    for title in ("按单位类型", "按单位", "按轮次", "按成果"):
        sheet = sample_book[title]
        rows = _values(sheet)
        assert list(rows[0]) == TALLY, title
        assert rows[-1][0] == "合计" and all(c.font.bold for c in sheet[sheet.max_row])
        assert all(isinstance(r[-1], (int, float)) and 0 <= r[-1] <= 1 for r in rows[1:])
        assert all(sheet.cell(n, len(TALLY)).number_format == "0.0%"
                   for n in range(2, sheet.max_row + 1))
        assert sheet.auto_filter.ref.endswith(str(sheet.max_row - 1))  # totals outside the filter
    assert [r[0] for r in _values(sample_book["按轮次"])[1:]] == ["第1轮", "第2轮", "第3轮", "第4轮", "合计"]
    assert "城市" in [r[0] for r in _values(sample_book["按单位类型"])]
    parties = [r[0] for r in _values(sample_book["按单位"])]
    assert "自然资源部" in parties and "mnr" not in parties
    assert parties[1] == "上海市"  # by party type (cities first), then code


def test_summary_sheet_states_the_duplicate_rule(sample_book, sample):
    ledger = compute(sample.state)
    rows = {r[0]: r[1] for r in _values(sample_book["汇总"]) if r[0]}
    assert rows["意见数"] == 647 and rows["计入采纳统计"] == ledger.total.counted < 647
    assert rows["采纳率"] == pytest.approx(ledger.total.rate)
    assert "计为 1 条" in rows["统计口径"] and f"按 {ledger.total.counted} 条计" in rows["统计口径"]


def test_late_flags_due_dates_and_responses(story_book):
    rows = _values(story_book["意见台账"])
    late = {r[3]: r[11] for r in rows[1:]}
    assert late["330400"] == "是" and not late["320500"]
    assert all(r[10] == "2026-04-01" for r in rows[1:])
    responses = _values(story_book["征询回复"])
    assert list(responses[0]) == ["轮次", "单位", "单位代码", "单位类型", "截止日期", "回复",
                                  "首条意见收到时间", "逾期", "催办次数"]
    by_party = {r[2]: r for r in responses[1:]}
    assert by_party["330500"][5] == "未回复" and by_party["330400"][7] == "是"
    assert by_party["330500"][7] == "是"  # silent with the due date (2026-04-01) past
    assert by_party["320500"][6] == "2026-03-02 09:00 北京时间"


def test_csv_has_a_bom_and_the_ledger_sheet_columns(tmp_path, story_book):
    path = tmp_path / "l.csv"
    write_csv(compute(fold(story_events())), path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    sheet = _values(story_book["意见台账"])
    assert rows[0] == HEADER
    assert [r[:12] for r in rows[1:]] == [[str(v) if v is not None else "" for v in r[:12]]
                                          for r in sheet[1:]]


def test_cli_ledger_writes_into_a_new_folder(tmp_path, capsys):
    archive = tmp_path / "events.jsonl"
    write_jsonl(story_events(), archive)
    target = tmp_path / "new" / "ledger.xlsx"
    assert main(["ledger", str(archive), "--xlsx", str(target), "--csv",
                 str(tmp_path / "new" / "l.csv")]) == 0
    assert target.exists() and "1 open item(s)" in capsys.readouterr().out
