"""Entered indicator values and recorded check-ups, kept in the party's project file.

Two tables, created on first use: `coplan_indicator_values` (what a party enters: actual
values, base values and targets, each with its source) and `coplan_checkup` (the recorded
snapshot of a year's check-up, the base of next year's comparison). They live in the project
rather than in JSON files beside it because the check-up belongs to the party's plan: it moves,
is backed up and is written atomically with the project, and cannot drift out of step with it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import astuple, dataclass, fields

import sqlite_utils

from app.errors import InvalidInput
from app.model.feature import utc_now

log = logging.getLogger(__name__)

VALUES_TABLE = "coplan_indicator_values"
CHECKUP_TABLE = "coplan_checkup"
SCHEMA = (
    f"""CREATE TABLE IF NOT EXISTS {VALUES_TABLE} (
        indicator_id TEXT NOT NULL, xzqdm TEXT NOT NULL, year INTEGER NOT NULL,
        value REAL, base_value REAL, target_value_2025 REAL, target_value_2035 REAL,
        data_source TEXT NOT NULL, method TEXT, entered_by TEXT, entered_at TEXT,
        PRIMARY KEY (indicator_id, xzqdm, year))""",
    f"""CREATE TABLE IF NOT EXISTS {CHECKUP_TABLE} (
        year INTEGER NOT NULL, indicator_id TEXT NOT NULL, xzqdm TEXT NOT NULL,
        value REAL, origin TEXT NOT NULL, target_value REAL, target_year INTEGER,
        status TEXT NOT NULL, data_source TEXT, method TEXT,
        recorded_by TEXT, recorded_at TEXT,
        PRIMARY KEY (year, indicator_id, xzqdm))""",
)


@dataclass(frozen=True)
class Entry:
    """A value a party enters for an indicator, a region and a year, with its source."""

    indicator_id: str
    xzqdm: str  # city code, or "metro"
    year: int
    data_source: str  # where the figure comes from, e.g. 统计年鉴 2025
    value: float | None = None  # the actual value, in the indicator's unit
    base_value: float | None = None  # the plan's base-year value
    target_value_2025: float | None = None
    target_value_2035: float | None = None
    method: str | None = None


@dataclass(frozen=True)
class Recorded:
    """One row of a recorded check-up."""

    year: int
    indicator_id: str
    xzqdm: str
    value: float | None
    origin: str  # computed | entered | missing
    target_value: float | None
    target_year: int | None
    status: str
    data_source: str | None
    method: str | None


ENTRY_FIELDS = tuple(f.name for f in fields(Entry))
RECORDED_FIELDS = tuple(f.name for f in fields(Recorded))


def ensure_tables(db: sqlite_utils.Database) -> None:
    """Create both tables if the project does not have them yet."""
    for sql in SCHEMA:
        db.execute(sql)


def enter(db: sqlite_utils.Database, entries: Iterable[Entry], author: str) -> int:
    """Store `entries` (replacing earlier ones of the same indicator, region and year)."""
    entries = list(entries)
    for e in entries:
        if not (e.data_source or "").strip():
            raise InvalidInput(f"{e.indicator_id} {e.xzqdm} {e.year}: data_source is required")
    now = utc_now()
    rows = [(*astuple(e), author, now) for e in entries]
    ensure_tables(db)
    names = (*ENTRY_FIELDS, "entered_by", "entered_at")
    with db.atomic():
        db.conn.executemany(f"INSERT OR REPLACE INTO {VALUES_TABLE} ({', '.join(names)}) "
                            f"VALUES ({', '.join('?' * len(names))})", rows)
    log.info("entered %d indicator value(s)", len(rows))
    return len(rows)


def entries(db: sqlite_utils.Database, up_to_year: int) -> list[Entry]:
    """Every entry of `up_to_year` and earlier, oldest first."""
    if VALUES_TABLE not in db.table_names():  # reading never creates the tables
        return []
    sql = (f"SELECT {', '.join(ENTRY_FIELDS)} FROM {VALUES_TABLE} WHERE year <= ? "
           "ORDER BY year, indicator_id, xzqdm")
    return [Entry(*row) for row in db.execute(sql, (up_to_year,))]


def record(db: sqlite_utils.Database, rows: Iterable[Recorded], year: int, author: str) -> int:
    """Store the check-up of `year`, replacing a previous record of that year whole."""
    ensure_tables(db)
    now = utc_now()
    values = [(*astuple(r), author, now) for r in rows]
    names = (*RECORDED_FIELDS, "recorded_by", "recorded_at")
    with db.atomic():
        db.execute(f"DELETE FROM {CHECKUP_TABLE} WHERE year = ?", (year,))
        db.conn.executemany(f"INSERT INTO {CHECKUP_TABLE} ({', '.join(names)}) "
                            f"VALUES ({', '.join('?' * len(names))})", values)
    log.info("recorded the %d check-up: %d row(s)", year, len(values))
    return len(values)


def recorded(db: sqlite_utils.Database, year: int) -> list[Recorded]:
    """The recorded check-up of `year` (empty if none)."""
    if CHECKUP_TABLE not in db.table_names():
        return []
    sql = (f"SELECT {', '.join(RECORDED_FIELDS)} FROM {CHECKUP_TABLE} WHERE year = ? "
           "ORDER BY indicator_id, xzqdm")
    return [Recorded(*row) for row in db.execute(sql, (year,))]


def previous_year(db: sqlite_utils.Database, year: int) -> int | None:
    """The latest year before `year` with a recorded check-up."""
    if CHECKUP_TABLE not in db.table_names():
        return None
    row = db.execute(f"SELECT max(year) FROM {CHECKUP_TABLE} WHERE year < ?", (year,)).fetchone()
    return row[0]


def recorded_between(db: sqlite_utils.Database, first: int, last: int) -> list[Recorded]:
    """Every recorded check-up row of the years `first` to `last`, oldest year first."""
    if CHECKUP_TABLE not in db.table_names():
        return []
    sql = (f"SELECT {', '.join(RECORDED_FIELDS)} FROM {CHECKUP_TABLE} WHERE year BETWEEN ? AND ? "
           "ORDER BY year, indicator_id, xzqdm")
    return [Recorded(*row) for row in db.execute(sql, (first, last))]
