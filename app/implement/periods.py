"""Reporting periods: calendar months "YYYY-MM" on Beijing time (UTC+8, no daylight saving).

A period's report is due on DUE_DAY of the following month. Every date here is a Beijing
date, whatever the machine's time zone, so a server in Frankfurt and a laptop in Suzhou agree
on which month "now" is and on when a report became late.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from app.errors import InvalidInput
from app.implement.model import DUE_DAY, PERIOD

BEIJING = ZoneInfo("Asia/Shanghai")


def today_beijing(now: datetime | None = None) -> date:
    """Today's date in Beijing (`now` for tests; naive datetimes are taken as UTC)."""
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return now.astimezone(BEIJING).date()


def instant(at: str) -> datetime:
    """An ISO 8601 instant such as "2026-12-05T13:45:00.000Z" (no zone: UTC), aware."""
    try:
        moment = datetime.fromisoformat(str(at).replace("Z", "+00:00"))
    except ValueError as exc:
        raise InvalidInput(f"not a date and time: {at!r}") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def beijing_date(at: str) -> date:
    """The Beijing date of a UTC ISO 8601 instant such as "2026-12-05T13:45:00.000Z"."""
    return today_beijing(instant(at))


def check_period(period: str) -> str:
    """`period` if it is a "YYYY-MM" month; InvalidInput otherwise."""
    if not isinstance(period, str) or not PERIOD.match(period):
        raise InvalidInput(f"not a reporting period (YYYY-MM): {period!r}")
    return period


def _split(period: str) -> tuple[int, int]:
    check_period(period)
    return int(period[:4]), int(period[5:])


def period_of(d: date) -> str:
    """The period (month) a date falls in."""
    return f"{d.year:04d}-{d.month:02d}"


def next_period(p: str) -> str:
    """The month after `p`."""
    year, month = _split(p)
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def previous_period(p: str) -> str:
    """The month before `p`."""
    year, month = _split(p)
    return f"{year - (month == 1):04d}-{(month - 2) % 12 + 1:02d}"


def period_index(p: str) -> int:
    """Months since year 0: differences of two indexes count months between periods."""
    year, month = _split(p)
    return year * 12 + month - 1


def periods_between(first: str, last: str) -> list[str]:
    """Every period from `first` to `last`, both included (empty when last < first)."""
    start, end = period_index(first), period_index(last)
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(start, end + 1)]


def due_date(period: str, day: int = DUE_DAY) -> date:
    """The Beijing date by which the report of `period` is due: `day` of the following month."""
    nxt = next_period(period)
    return date(int(nxt[:4]), int(nxt[5:]), day)


def due_plus(period: str, days: int) -> str:
    """The due date of `period` plus `days`, as "YYYY-MM-DD" (an issue's default due date)."""
    return (due_date(period) + timedelta(days=days)).isoformat()
