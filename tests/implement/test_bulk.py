"""Bulk progress lines from CSV (UTF-8, BOM, GBK, GB18030) and XLSX tables."""

from __future__ import annotations

import re

import pytest
from openpyxl import Workbook

from app.errors import ImportRefused, InvalidInput
from app.implement.bulk import lines_from_table
from app.implement.model import Item
from app.implement.state import item_to_json
from tests.implement.test_rollup import OFFICE, plan_tree, with_items

SZ = "320500"  # Suzhou leads Z2 and joins Z1


@pytest.fixture(scope="module")
def state():
    return with_items().state


def write_csv(path, rows: list[list[object]], encoding: str) -> None:
    path.write_bytes("\r\n".join(",".join(map(str, r)) for r in rows).encode(encoding))


CHINESE = [["事项编号", "完成百分比", "状态", "进展说明", "备注"],
           ["Z2.strategy.1", "85%", "按计划推进", "环淀山湖绿道贯通段完工", "x"],
           ["Z2.strategy.2", "40", "滞后", "征地推进缓慢", ""],
           ["Z1.strategy.1", "１００％", "已完成", "", ""]]
EXPECTED = [
    {"item": "Z2.strategy.1", "percent": 85.0, "status": "on_track",
     "narrative_zh": "环淀山湖绿道贯通段完工", "narrative_en": ""},
    {"item": "Z2.strategy.2", "percent": 40.0, "status": "delayed", "narrative_zh": "征地推进缓慢",
     "narrative_en": ""},
    {"item": "Z1.strategy.1", "percent": 100.0, "status": "completed", "narrative_zh": "",
     "narrative_en": ""}]


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
def test_chinese_csv_in_every_encoding_excel_writes(tmp_path, state, encoding):
    path = tmp_path / f"进展-{encoding}.csv"
    write_csv(path, CHINESE, encoding)
    assert lines_from_table(path, state, SZ) == EXPECTED


def test_english_headers_in_any_order_and_status_keys(tmp_path, state):
    path = tmp_path / "progress.csv"
    write_csv(path, [["Status", "Item", "narrative_en", "Percent"],
                     ["on_track", "Z2.strategy.3", "Lakeside walk opened", "12.5"],
                     ["At risk", "Z2.strategy.4", "", "0"]], "utf-8")
    lines = lines_from_table(path, state, SZ)
    assert [(x["item"], x["percent"], x["status"], x["narrative_en"]) for x in lines] == [
        ("Z2.strategy.3", 12.5, "on_track", "Lakeside walk opened"),
        ("Z2.strategy.4", 0.0, "at_risk", "")]


def test_xlsx_made_by_openpyxl_with_percent_cells(tmp_path, state):
    book = Workbook()
    sheet = book.active
    sheet.append(["苏州市 2026年10月实施进展"])  # a title row above the header
    sheet.append(["事项编号", "完成百分比", "状态", "进展说明", "narrative_en"])
    sheet.append(["Z2.strategy.1", 0.85, "按计划推进", "合成示例", "synthetic"])
    sheet["B3"].number_format = "0%"
    sheet.append([None, None, None, None, None])  # a blank row is skipped
    sheet.append(["P-JT-001", 30, "on_track", None, None])  # a project by its number
    sheet.append(["Z2.strategy.2", 0, "not_started", 0, None])  # zero is a value, not a blank
    path = tmp_path / "进展.xlsx"
    book.save(path)
    lines = lines_from_table(path, state, SZ)  # Suzhou leads Z2 and joins the railway
    assert [(x["item"], x["percent"], x["status"]) for x in lines] == [
        ("Z2.strategy.1", 85.0, "on_track"), ("XM:P-JT-001", 30.0, "on_track"),
        ("Z2.strategy.2", 0.0, "not_started")]
    assert lines[0]["narrative_en"] == "synthetic"
    sheet["A3"] = "Z5.strategy.1"  # Suzhou neither leads nor joins Z5
    sheet["C5"] = "好"
    book.save(path)
    with pytest.raises(ImportRefused) as caught:
        lines_from_table(path, state, SZ)
    assert [(p.row, p.column) for p in caught.value.problems] == [(3, "item"), (5, "status")]


def test_every_bad_row_is_listed_with_its_spreadsheet_row(tmp_path, state):
    path = tmp_path / "bad.csv"
    write_csv(path, [["item", "percent", "status"],
                     ["Z2.strategy.1", "85%", "on_track"],
                     ["", "10", "on_track"],
                     ["Z2.strategy.9", "abc", "on_track"],
                     ["Z5.strategy.1", "120", "完成"],
                     ["", "", ""],
                     ["Z2.strategy.1", "50", ""]], "gbk")
    with pytest.raises(ImportRefused) as caught:
        lines_from_table(path, state, SZ)
    problems = [(p.row, p.column, p.problem) for p in caught.value.problems]
    assert problems == [
        (3, "item", "missing"),
        (4, "item", "no item Z2.strategy.9"), (4, "percent", "not a number: abc"),
        (5, "item", "party 320500 neither leads nor joins item Z5.strategy.1"),
        (5, "percent", "120 is not between 0 and 100"), (5, "status", "unknown status 完成"),
        (7, "item", "item Z2.strategy.1 is also on row 2"), (7, "status", "missing")]
    assert isinstance(caught.value, InvalidInput)
    assert "bad.csv: 4 bad rows: row 3, item: missing; row 4, item: no item" in caught.value.message


@pytest.mark.parametrize("rows, message", [
    ([["事项编号", "状态"], ["Z2.strategy.1", "滞后"]], "no column percent (完成百分比) in the header (row 1)"),
    ([["item", "percent", "status"]], "no rows below the header"),
    ([], "the file is empty"),
])
def test_unusable_files_are_refused_whole(tmp_path, state, rows, message):
    path = tmp_path / "t.csv"
    write_csv(path, rows, "utf-8")
    with pytest.raises(InvalidInput, match=re.escape(message)):
        lines_from_table(path, state, SZ)


def test_a_file_that_is_neither_text_nor_xlsx(tmp_path, state):
    path = tmp_path / "t.csv"
    path.write_bytes(b"\xff\xfe\x00\x81\x30\x81\x00")
    with pytest.raises(InvalidInput, match="not a text file"):
        lines_from_table(path, state, SZ)
    old = tmp_path / "t.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))
    with pytest.raises(InvalidInput, match=r"old Excel \(.xls\) workbook"):
        lines_from_table(old, state, SZ)
    fake = tmp_path / "t.xlsx"
    fake.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(InvalidInput, match="not a readable XLSX"):
        lines_from_table(fake, state, SZ)


def test_two_thousand_rows(tmp_path):
    many = [Item(f"XM:P-JT-{n:04d}", "project", "S1", f"项目{n}", lead="310000-JTW",
                 participants=(SZ,), start_year=2024, finish_year=2030) for n in range(2000)]
    log = with_items(plan_tree() + many)
    path = tmp_path / "many.csv"
    write_csv(path, [["事项编号", "完成百分比", "状态", "进展说明"]] +
              [[f"P-JT-{n:04d}", f"{n % 101}%", "按计划推进", f"第{n}行"] for n in range(2000)],
              "gbk")
    lines = lines_from_table(path, log.state, SZ)
    assert len(lines) == 2000 and lines[-1]["percent"] == 1999 % 101
    log.post(OFFICE, "items", {"items": [item_to_json(many[0])]})  # the log still takes them
    write_csv(path, [["item", "percent", "status"]] +
              [[f"P-JT-{n:04d}", "1", "on_track"] for n in range(2000)] + [["S1.action.1", 1, "x"]],
              "utf-8")
    with pytest.raises(InvalidInput, match="more than 2000 rows"):
        lines_from_table(path, log.state, SZ)
