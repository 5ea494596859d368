"""Bulk progress update: report lines from a CSV or XLSX table a party filled in.

Columns are found by their English or Chinese header (any order, extra columns ignored):
item/事项编号, percent/完成百分比, status/状态, narrative_zh/进展说明, narrative_en/英文说明.
A CSV may be UTF-8 (with or without BOM), GBK or GB18030 (as Excel on a Chinese Windows
saves it). Every bad row is reported at once, with the row number the spreadsheet shows
(the first row is 1), so a party fixes its file in one go. Title rows above the header are
skipped.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import ImportRefused, InvalidInput
from app.implement.items import PROJECT_PREFIX
from app.implement.model import STATUSES

if TYPE_CHECKING:
    from app.implement.state import ImplementState

MAX_ROWS = 2000  # events.MAX_LINES: lines one report may carry
MAX_TEXT = 4000  # events.TEXT: a narrative's length
HEADER_ROWS = 10  # the header is looked for in this many rows from the top
MAX_SHOWN = 50  # bad rows spelled out in the message (all are in `problems`)
COLUMNS = {  # field -> accepted headers (compared case- and space-insensitively)
    "item": ("item", "item id", "事项编号", "事项", "编号"),
    "percent": ("percent", "percent complete", "完成百分比", "完成比例", "完成度", "进度"),
    "status": ("status", "状态"),
    "narrative_zh": ("narrative_zh", "narrative", "进展说明", "中文说明"),
    "narrative_en": ("narrative_en", "英文说明", "进展说明（英文）", "进展说明(英文)"),
}
REQUIRED = ("item", "percent", "status")
CHINESE_HEADER = {"item": "事项编号", "percent": "完成百分比", "status": "状态"}
_STATUS_NAMES = {**{k: k for k in STATUSES}, **{v: k for k, v in STATUSES.items()}}


@dataclass(frozen=True)
class Problem:
    """One bad cell: the row number the spreadsheet shows, the column (field name), what is wrong."""

    row: int
    column: str
    problem: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.column}: {self.problem}"


@dataclass(frozen=True)
class Cell:
    value: object
    percent_format: bool = False  # an XLSX number shown as a percentage (0.85 shown 85%)


def _norm(value: object) -> str:
    """A cell as comparable text: full-width forms folded (８５％ → 85%), spaces collapsed."""
    text = "" if value is None else str(value)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().lower()


def read_table(path: str | Path) -> list[list[Cell]]:
    """The rows of the first sheet of an XLSX, or of a CSV, as cells (header first)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from exc
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # the old binary Excel (.xls, .et)
        raise InvalidInput(f"{path.name}: an old Excel (.xls) workbook; save it as .xlsx or CSV")
    if data[:4] == b"PK\x03\x04" or path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path, data)
    return [[Cell(v) for v in row] for row in _read_csv(path, data)]


def _decode(path: Path, data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):  # gb18030 reads GBK too (it is a superset)
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput(f"{path.name}: not a text file in UTF-8, GBK or GB18030")


def _read_csv(path: Path, data: bytes) -> list[list[str]]:
    text = _decode(path, data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096].split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as exc:
        raise InvalidInput(f"{path.name}: not a readable CSV file: {exc}") from exc


def _read_xlsx(path: Path, data: bytes) -> list[list[Cell]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise InvalidInput(f"{path.name}: not a readable XLSX file ({exc})") from exc
    try:
        sheet = book.worksheets[0]
        return [[Cell(c.value, "%" in str(getattr(c, "number_format", "") or ""))
                 for c in row] for row in sheet.iter_rows()]
    finally:
        book.close()


def _columns(cells: list[Cell]) -> dict[str, int]:
    wanted = {_norm(h): field for field, headers in COLUMNS.items() for h in headers}
    found: dict[str, int] = {}
    for n, cell in enumerate(cells):
        field = wanted.get(_norm(cell.value))
        if field and field not in found:
            found[field] = n
    return found


def _header(rows: list[list[Cell]], path: Path) -> tuple[int, dict[str, int]]:
    """(index, columns) of the header row: the first of the first HEADER_ROWS rows naming an
    item column (sheets often start with a title row such as "2026年10月进展")."""
    index = next((n for n, cells in enumerate(rows[:HEADER_ROWS]) if "item" in _columns(cells)), 0)
    found = _columns(rows[index])
    missing = [f"{f} ({CHINESE_HEADER[f]})" for f in REQUIRED if f not in found]
    if missing:
        raise InvalidInput(f"{path.name}: no column {', '.join(missing)} in the header "
                           f"(row {index + 1})")
    return index, found


def lines_from_table(path: str | Path, state: ImplementState, party: str) -> list[dict]:
    """Report lines (JSON as a 'report' event carries them) from the table at `path`;
    ImportRefused (an InvalidInput) listing every bad row when any row is bad."""
    path = Path(path)
    rows = read_table(path)
    if not rows:
        raise InvalidInput(f"{path.name}: the file is empty")
    index, columns = _header(rows, path)
    # blank rows between blocks are common in hand-kept sheets: skipped, numbers kept
    filled = [(number, cells) for number, cells in enumerate(rows[index + 1:], start=index + 2)
              if any(_norm(c.value) != "" for c in cells)]
    if not filled:
        raise InvalidInput(f"{path.name}: no rows below the header")
    if len(filled) > MAX_ROWS:
        raise InvalidInput(f"{path.name}: more than {MAX_ROWS} rows; split it into several reports")
    lines, problems = [], []
    seen: dict[str, int] = {}
    for number, cells in filled:
        values = {f: (cells[i] if i < len(cells) else Cell(None)) for f, i in columns.items()}
        line, bad = _line(number, values, state, party, seen)
        problems.extend(bad)
        if not bad:
            lines.append(line)
    if problems:
        raise _refused(path, problems)
    return lines


def _refused(path: Path, problems: list[Problem]) -> ImportRefused:
    rows = len({p.row for p in problems})
    shown = "; ".join(map(str, problems[:MAX_SHOWN]))
    more = f"; and {len(problems) - MAX_SHOWN} more" if len(problems) > MAX_SHOWN else ""
    return ImportRefused(f"{path.name}: {rows} bad rows: {shown}{more}", problems)


def _line(number: int, values: dict[str, Cell], state: ImplementState, party: str,
          seen: dict[str, int]) -> tuple[dict, list[Problem]]:
    bad: list[Problem] = []
    item = _item(number, values["item"].value, state, party, seen, bad)
    percent = _percent(number, values["percent"], bad)
    status = _status(number, values["status"].value, bad)
    line = {"item": item, "percent": percent, "status": status}
    for field in ("narrative_zh", "narrative_en"):
        cell = values.get(field)
        text = "" if cell is None or cell.value is None else str(cell.value).strip()
        if len(text) > MAX_TEXT:
            bad.append(Problem(number, field, f"longer than {MAX_TEXT} characters"))
        line[field] = text
    return line, bad


def _item(number: int, value: object, state: ImplementState, party: str,
          seen: dict[str, int], bad: list[Problem]) -> str:
    text = "" if value is None else unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        bad.append(Problem(number, "item", "missing"))
        return ""
    # a library project may be given by its number alone (P-JT-001 for XM:P-JT-001)
    found = text if text in state.items else PROJECT_PREFIX + text
    item = state.items.get(found)
    if item is None:
        bad.append(Problem(number, "item", f"no item {text}"))
    elif party != item.lead and party not in item.participants:
        bad.append(Problem(number, "item", f"party {party} neither leads nor joins item {text}"))
    elif found in seen:
        bad.append(Problem(number, "item", f"item {text} is also on row {seen[found]}"))
    else:
        seen[found] = number
    return found


def _percent(number: int, cell: Cell, bad: list[Problem]) -> float:
    value = cell.value
    if isinstance(value, bool) or value is None or _norm(value) == "":
        bad.append(Problem(number, "percent", "missing"))
        return 0.0
    if isinstance(value, (int, float)):
        percent = float(value) * (100 if cell.percent_format else 1)
    else:
        text = _norm(value).replace(" ", "")
        match = re.fullmatch(r"([+-]?\d+(?:\.\d+)?)%?", text)
        if match is None:
            bad.append(Problem(number, "percent", f"not a number: {str(value)[:40]}"))
            return 0.0
        percent = float(match.group(1))
    if not 0 <= percent <= 100:
        bad.append(Problem(number, "percent", f"{percent:g} is not between 0 and 100"))
    return round(percent, 4)


def _status(number: int, value: object, bad: list[Problem]) -> str:
    text = _norm(value)
    key = _STATUS_NAMES.get(text) or _STATUS_NAMES.get(text.replace(" ", "_").replace("-", "_"))
    if key is None:
        problem = "missing" if not text else f"unknown status {str(value)[:40]}"
        bad.append(Problem(number, "status", problem))
        return ""
    return key
